# relayd as a container: the same Native AOT binary and built-in default config as `make run`.
#   docker build -t relay .
#   docker run --rm -p 1701:1701/udp -p 3478:3478/udp relay
# Later data-plane features (TUN, eBPF) need --cap-add NET_ADMIN (and BPF); the STUN and L2TP
# ports are above 1023 inside the container, so the default run needs no capability at all.

# Build stage: the .NET SDK image variant that carries the Native AOT toolchain (clang, lld, zlib).
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble-aot AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused when only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Relay.Wire/Relay.Wire.csproj src/Relay.Wire/
COPY src/Relay.Control/Relay.Control.csproj src/Relay.Control/
COPY src/Relay.DataPlane/Relay.DataPlane.csproj src/Relay.DataPlane/
COPY src/Relay.Server/Relay.Server.csproj src/Relay.Server/
RUN dotnet restore src/Relay.Server -r linux-x64
COPY src/ src/
RUN dotnet publish src/Relay.Server -c Release -r linux-x64 --no-restore -o /out -p:DebugType=none

# Run stage: chiseled runtime-deps (no shell, no package manager), non-root `app` user.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
COPY --from=build /out/relayd /usr/local/bin/relayd
USER $APP_UID
EXPOSE 1701/udp 3478/udp
ENTRYPOINT ["/usr/local/bin/relayd"]
