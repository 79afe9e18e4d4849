# mailhound in a container: a Swift build stage, then a slim runtime with libpq and the one binary
# (sql/ is built into it, so no source tree is needed at run time). docker-compose.yml builds it.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
# Debian stable's security updates replace versions, so packages are not pinned (DL3008).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libsimdjson-dev zlib1g-dev libssl-dev libcurl4-openssl-dev \
        pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources Sources
COPY Tests Tests
COPY sql sql
RUN swift build -c release --product mailhound --static-swift-stdlib \
    && install -D -m 755 "$(swift build -c release --show-bin-path)/mailhound" /out/mailhound

FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libsimdjson14 zlib1g libssl3 libcurl4 libstdc++6 \
        postgresql-client ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/mailhound --create-home mailhound
COPY --from=build /out/mailhound /usr/local/bin/mailhound
USER 10001
WORKDIR /var/lib/mailhound
ENTRYPOINT ["mailhound"]
CMD ["--help"]
