{{/* The chart's name and version, as the chart label reads them. */}}
{{- define "edunode.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object of the release. */}}
{{- define "edunode.labels" -}}
helm.sh/chart: {{ include "edunode.chart" . }}
app.kubernetes.io/part-of: edunode
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
edunode.org/node: {{ .Values.node.id }}
{{- end }}

{{/* The labels that select a service's pods: (root, service, component). */}}
{{- define "edunode.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/part-of: edunode
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 2 }}
edunode.org/node: {{ $root.Values.node.id }}
{{- end }}

{{- define "edunode.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* A service's variable prefix: EDUNODE_<SERVICE>_. */}}
{{- define "edunode.prefix" -}}
EDUNODE_{{ upper . }}_
{{- end }}

{{/* Which of the node's services each service calls (the gateway: all of them). */}}
{{- define "edunode.upstreams" -}}
gateway: [institutions, quality, recognition, credentials, mobility]
quality: [institutions]
recognition: [institutions]
credentials: [quality, recognition]
{{- end }}

{{- define "edunode.natsUrl" -}}
{{- if .Values.nats.bundled -}}
nats://nats:4222
{{- else -}}
{{ .Values.nats.url }}
{{- end -}}
{{- end }}

{{/* The pod's security context: the image's non-root user (uid 10001). */}}
{{- define "edunode.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "edunode.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
  - ALL
{{- end }}

{{/* The pod of a service: (root, service name, its values, background workers on?). */}}
{{- define "edunode.servicePod" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $service := index . 2 -}}
{{- $workers := index . 3 -}}
{{- $sqlite := eq $root.Values.database.type "sqlite" -}}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 0 }}
{{- end }}
securityContext:
{{- include "edunode.podSecurityContext" $root | nindent 2 }}
terminationGracePeriodSeconds: 30
{{- if $sqlite }}
initContainers:
- name: migrate
  image: {{ include "edunode.image" $root }}
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  args: [migrate, --node, {{ $root.Values.node.id | quote }}, --data-dir, /data, --service, {{ $name }}]
  resources:
    {{- toYaml $root.Values.migrate.resources | nindent 4 }}
  securityContext:
    {{- include "edunode.containerSecurityContext" $root | nindent 4 }}
  volumeMounts:
  - name: data
    mountPath: /data
  - name: tmp
    mountPath: /tmp
{{- end }}
containers:
- name: {{ $name }}
  image: {{ include "edunode.image" $root }}
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  args: [serve, {{ $name }}]
  ports:
  - name: http
    containerPort: {{ $service.port }}
  envFrom:
  - configMapRef:
      name: edunode-config
  {{- if not $sqlite }}
  - secretRef:
      name: {{ $root.Values.database.existingSecret }}
  {{- end }}
  env:
  - name: {{ include "edunode.prefix" $name }}BACKGROUND_WORKERS
    value: {{ $workers | quote }}
  readinessProbe:
    httpGet:
      path: /readyz
      port: http
    {{- toYaml $root.Values.probes.readiness | nindent 4 }}
  livenessProbe:
    httpGet:
      path: /healthz
      port: http
    {{- toYaml $root.Values.probes.liveness | nindent 4 }}
  startupProbe:
    httpGet:
      path: /healthz
      port: http
    {{- toYaml $root.Values.probes.startup | nindent 4 }}
  resources:
    {{- toYaml $service.resources | nindent 4 }}
  securityContext:
    {{- include "edunode.containerSecurityContext" $root | nindent 4 }}
  volumeMounts:
  - name: keys
    mountPath: /etc/edunode/keys
    readOnly: true
  - name: trust
    mountPath: /etc/edunode/trust
    readOnly: true
  - name: tmp
    mountPath: /tmp
  {{- if $sqlite }}
  - name: data
    mountPath: /data
  {{- end }}
volumes:
- name: keys
  secret:
    secretName: {{ $root.Values.keys.existingSecret }}
    defaultMode: 288  # 0440: the owner and the group (fsGroup) read
- name: trust
  configMap:
    name: {{ $root.Values.trust.existingConfigMap }}
- name: tmp
  emptyDir: {}
{{- if $sqlite }}
- name: data
  persistentVolumeClaim:
    claimName: {{ $name }}-data
{{- end }}
{{- end }}

{{/* The node's nats.conf (templates/nats.yaml). */}}
{{- define "edunode.natsConf" -}}
# nats-server configuration of node {{ .Values.node.id }} ({{ .Values.node.name }}), from the edunode chart.
server_name: "edunode-{{ .Values.node.id }}"
listen: "0.0.0.0:4222"
http: "0.0.0.0:8222"
jetstream {
  store_dir: "/data/jetstream"
  domain: "{{ .Values.node.id }}"
  sync_interval: "always"
}
{{- if .Values.nats.hub.url }}
leafnodes {
  remotes [
    {
      urls: [$HUB_LEAF_URL]
      nkey: $LEAF_SEED
      tls {
        ca_file: "/etc/nats/tls/ca.crt"
      }
    }
  ]
}
{{- end }}
{{- end }}
