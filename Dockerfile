# relayd as a container: the same Native AOT binary as `make publish`, the appliance's default config.
#   docker build -t relay .
#   docker run --rm -p 1701:1701/udp -p 3478:3478/udp -v relay-state:/var/lib/relay relay
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
COPY src/Relay.Hosting/Relay.Hosting.csproj src/Relay.Hosting/
COPY src/Relay.Server/Relay.Server.csproj src/Relay.Server/
RUN dotnet restore src/Relay.Server -r linux-x64
COPY src/ src/
RUN dotnet publish src/Relay.Server -c Release -r linux-x64 --no-restore -o /out -p:DebugType=none
# The appliance's default configuration and the directories it names (state for the first-boot tunnel
# secret, run for the control socket), owned by the runtime image's non-root user (APP_UID 1654).
COPY appliance/config/ /rootfs/etc/relay/
RUN mkdir -p /rootfs/var/lib/relay /rootfs/run/relay && chmod 0700 /rootfs/var/lib/relay

# Run stage: chiseled runtime-deps (no shell, no package manager), non-root `app` user.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
COPY --from=build /out/relayd /usr/local/bin/relayd
COPY --from=build --chown=1654:1654 /rootfs/ /
USER $APP_UID
EXPOSE 1701/udp 3478/udp
ENTRYPOINT ["/usr/local/bin/relayd"]
# The same default configuration as the appliance: tunnel authentication on, the secret generated on
# first start into /var/lib/relay/tunnel-secret and printed once (docker logs); mount a volume there to
# keep it. The firewall is the host's business here (relayd --print-firewall prints the rules).
CMD ["--config", "/etc/relay/relayd.json"]
