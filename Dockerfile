# caldp's container image: caldp-process as the entry point, as STScI's CALDP image for AWS Batch.
# Build it with scripts/build-image.sh, which prepares the context this file expects:
#   app/   what `npm pack` ships (dist/, package.json, README.md, LICENSE) plus the production dependencies
#   node/  the Node.js binary of the npm registry's node-linux-<arch> package (Node LTS) and its LICENSE
# and makes the base image from Debian's packages when no registry is reachable (mmdebstrap).
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS assemble
COPY node/bin/ /opt/node/bin/
COPY app/ /opt/caldp/
# a broken runtime or package fails the build, not the first job
RUN /opt/node/bin/node /opt/caldp/dist/cli/caldp.js --version \
    && chmod -R u=rwX,go=rX /opt/caldp /opt/node \
    && chmod a+x /opt/caldp/dist/cli/caldp.js /opt/caldp/dist/cli/caldp-process.js

FROM ${BASE_IMAGE}
ARG VERSION=unknown
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="caldp" \
      org.opencontainers.image.description="Hubble Space Telescope calibration data pipeline (CALDP) in TypeScript" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="BSD-3-Clause"
COPY --from=assemble /opt/node/bin/node /usr/local/bin/node
COPY --from=assemble /opt/node/bin/LICENSE /usr/local/share/doc/node/LICENSE
COPY --from=assemble /opt/caldp /opt/caldp
RUN ln -s /opt/caldp/dist/cli/caldp-process.js /usr/local/bin/caldp-process \
    && ln -s /opt/caldp/dist/cli/caldp.js /usr/local/bin/caldp \
    && useradd --create-home --uid 1000 --user-group --shell /bin/sh caldp \
    && install -d -o caldp -g caldp -m 0700 /scratch
ENV PATH=/usr/local/bin:/usr/bin:/bin \
    NODE_ENV=production \
    CALDP_HOME=/scratch
USER caldp
WORKDIR /home/caldp
ENTRYPOINT ["caldp-process"]
