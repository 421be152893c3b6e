# Relay: see README.md. Every target installs what it needs first (scripts/install-deps.sh is
# idempotent and quick when everything is present).
SHELL := /bin/bash
DOTNET ?= dotnet
RID ?= linux-x64
BIN := artifacts/bin
CONFIG ?=
EXECUTABLES := src/Relay.Server src/Relay.Client src/Relay.Cli

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps build publish bpf run test demo bench bench-full microbench baseline fuzz clean deb image

all: publish

deps:
	@scripts/install-deps.sh

build: deps
	$(DOTNET) build Relay.sln -c Release

# Native AOT binaries (relayd, relay-client, relayctl) into artifacts/bin/.
publish: deps bpf
	@for p in $(EXECUTABLES); do \
	  $(DOTNET) publish $$p -c Release -r $(RID) -o $(BIN) -p:DebugType=none || exit 1; \
	done

# The eBPF fast path (native/bpf): one object per attach point, with BTF (-g), next to relayd.
BPF_SOURCES := $(wildcard native/bpf/*.c)
BPF_OBJECTS := $(patsubst native/bpf/%.c,$(BIN)/%.o,$(BPF_SOURCES))
bpf: $(BPF_OBJECTS)
$(BIN)/%.o: native/bpf/%.c $(wildcard native/bpf/lib/*.h)
	@mkdir -p $(BIN)
	clang -O2 -g -target bpf -Wall -Werror -I/usr/include/$(shell uname -m)-linux-gnu -c $< -o $@

# Starts relayd in the foreground with the built-in default config (or CONFIG=path).
run: publish
	$(BIN)/relayd $(if $(CONFIG),--config $(CONFIG),)

# Every test project; the last line printed is "N passed, N failed".
test: publish
	@scripts/run-tests.sh

# FIG. 3 step by step (NAT found, tunnel up, address, IPsec SA, traffic, counters) in throw-away
# namespaces with strongSwan, told in plain words; everything is removed afterwards.
demo: publish
	@$(DOTNET) build tests/Relay.EndToEnd.Tests -c Release -v quiet -nologo >/dev/null
	@log=$$(mktemp); \
	if $(DOTNET) test tests/Relay.EndToEnd.Tests -c Release --no-build --nologo \
	  --filter "FullyQualifiedName~Relay.EndToEnd.Tests.Demo" --logger "console;verbosity=detailed" >$$log 2>&1; \
	then sed -n '/Standard Output Messages:/,/^$$/p' $$log | sed '1d'; rm -f $$log; \
	else cat $$log; rm -f $$log; echo "demo failed (output above)"; exit 1; fi

# Micro-benchmarks (BenchmarkDotNet): ns and bytes per call. Pass a filter with BENCH='*Stun*'.
BENCH ?= *
microbench: deps
	$(DOTNET) run -c Release --project perf/Relay.Benchmarks -- --filter '$(BENCH)'

# The C reference relay the perf harness compares relayd with (perf/baseline/udp_relay.c).
BASELINE := $(BIN)/udp_relay
$(BASELINE): perf/baseline/udp_relay.c
	@mkdir -p $(BIN)
	clang -O2 -Wall -Wextra -Werror -o $@ $<
baseline: deps $(BASELINE)

# The perf harness (perf/Relay.LoadGen, README "Performance"): packets/s through the AOT relayd
# against the C baseline (relayd with the eBPF fast path off, xdp and tc), session scale and setup
# storm; table on stdout, JSON in perf/results/.
# bench: the short suite (about 7 minutes); bench-full: the rest. Extra flags: LOADGEN='--seconds 10'.
LOADGEN ?=
bench: deps bpf $(BASELINE)
	$(DOTNET) publish src/Relay.Server -c Release -r $(RID) -o $(BIN) -p:DebugType=none
	$(DOTNET) run -c Release --project perf/Relay.LoadGen -- --suite short $(LOADGEN)
bench-full: deps bpf $(BASELINE)
	$(DOTNET) publish src/Relay.Server -c Release -r $(RID) -o $(BIN) -p:DebugType=none
	$(DOTNET) run -c Release --project perf/Relay.LoadGen -- --suite full $(LOADGEN)

# Longer fuzzing of every parser with a fresh seed (FUZZ_SECONDS per target).
FUZZ_SECONDS ?= 300
fuzz: deps
	$(DOTNET) run -c Release --project tests/Relay.Fuzz -- --target all --seconds $(FUZZ_SECONDS)

# Debian package (artifacts/relay_VERSION_amd64.deb) and the appliance disk image (artifacts/appliance/).
deb: publish
	appliance/build-deb.sh
image: publish
	appliance/build-image.sh

clean:
	rm -rf artifacts
