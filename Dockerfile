# Faultline node image.
#   docker build -t faultline:dev .
# Without a registry (ci/containers.sh does this): a local Debian base for both stages, and the jar
# built beforehand (mvn -B -DskipTests package) copied in instead of built inside the image:
#   docker build -t faultline:dev --build-arg BASE_IMAGE=faultline/base:bookworm \
#     --build-arg BUILD_IMAGE=faultline/base:bookworm --build-arg PREBUILT_JAR=testbed/target/faultline.jar .
#   docker run --rm -p 8080:8080 -v faultline-data:/data -e FAULTLINE_ID=n1 faultline:dev
# Every node option can be given as FAULTLINE_<OPTION_IN_UPPER_SNAKE> (see config/faultline.example.yml)
# or as flags after the image name (`docker run faultline:dev --id n1 --tick-ms 20`).

# --- Build: the shaded jar, testbed/target/faultline.jar -------------------------------------------
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BUILD_IMAGE} AS build
# Empty: build the jar here with Maven. A path in the context: take that jar as it is.
ARG PREBUILT_JAR=
WORKDIR /src
COPY . .
RUN if [ -n "$PREBUILT_JAR" ]; then cp "$PREBUILT_JAR" /faultline.jar; \
    else mvn -B -q -DskipTests package && cp testbed/target/faultline.jar /faultline.jar; fi

# --- Run: the jar on a JRE, as an unprivileged user ------------------------------------------------
FROM ${BASE_IMAGE}
# curl for the health check, whatever the base image ships; a JRE when the base has none (Debian).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && if ! command -v java >/dev/null; then \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; fi \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 faultline \
 && useradd --system --uid 10001 --gid faultline --home-dir /data --no-create-home faultline \
 && mkdir -p /data /opt/faultline \
 && chown faultline:faultline /data
COPY --from=build /faultline.jar /opt/faultline/faultline.jar

# Listen on every interface inside the container; data on the volume.
ENV FAULTLINE_DATA_DIR=/data \
    FAULTLINE_HTTP_ADDRESS=0.0.0.0:8080 \
    FAULTLINE_GRPC_ADDRESS=0.0.0.0:9090 \
    FAULTLINE_PEER_ADDRESS=0.0.0.0:7070 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
# 8080 HTTP API and /metrics, 9090 gRPC API, 7070 Raft between nodes.
EXPOSE 8080 9090 7070
USER faultline:faultline
WORKDIR /data

# Healthy = the node knows a leader (GET /readyz is 200); a node cut off from a majority turns unhealthy.
HEALTHCHECK --interval=5s --timeout=2s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1

ENTRYPOINT ["java", "-jar", "/opt/faultline/faultline.jar", "node"]
