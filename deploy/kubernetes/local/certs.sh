#!/usr/bin/env bash
# The built-in cluster's certificates and kubeconfigs, made with openssl into $STATE/pki: one CA, a serving
# certificate for the API server and for the kubelet, one client certificate per component (each component gets
# the identity the default RBAC rules expect), and the service-account signing key pair. Valid for 30 days; 'down'
# deletes them with the rest of the state.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NODE_IP="${1:?usage: certs.sh NODE_IP}"
pki="$STATE/pki"
mkdir -p "$pki"
chmod 700 "$pki"
cd "$pki"

openssl genrsa -out ca.key 2048 2>/dev/null
openssl req -x509 -new -key ca.key -subj "/CN=ambassador-lab-ca" -days 30 -out ca.crt

# cert NAME SUBJECT EXTENDED_KEY_USAGE [SUBJECT_ALT_NAMES]: a key and a certificate signed by the CA.
cert() {
  local name="$1" subject="$2" usage="$3" alt_names="${4:-}"
  {
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' "$usage"
    [ -z "$alt_names" ] || printf 'subjectAltName=%s\n' "$alt_names"
  } >"$name.ext"
  openssl genrsa -out "$name.key" 2048 2>/dev/null
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile "$name.ext" \
    -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

# 10.96.0.1 is the first address of the service range: the 'kubernetes' Service that pods use to reach the API.
cert apiserver "/CN=kube-apiserver" serverAuth \
  "IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
cert admin "/O=system:masters/CN=admin" clientAuth
cert controller-manager "/CN=system:kube-controller-manager" clientAuth
cert scheduler "/CN=system:kube-scheduler" clientAuth
# The node authorizer lets a kubelet act only for its own node: it reads the node's name from this subject.
cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
# The kubelet serves on the node's address (the API server dials it for logs, exec and port-forward).
cert kubelet "/CN=$NODE_NAME" serverAuth "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
openssl genrsa -out service-accounts.key 2048 2>/dev/null
openssl rsa -in service-accounts.key -pubout -out service-accounts.pub 2>/dev/null

# kubeconfig NAME CERT: a kubeconfig that talks to the local API server as CERT's subject.
kubeconfig() {
  cat >"$STATE/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: ambassador-lab
    cluster:
      server: https://127.0.0.1:6443
      certificate-authority: $pki/ca.crt
users:
  - name: $2
    user:
      client-certificate: $pki/$2.crt
      client-key: $pki/$2.key
contexts:
  - name: ambassador-lab
    context: {cluster: ambassador-lab, user: $2}
current-context: ambassador-lab
EOF
}
kubeconfig admin admin
kubeconfig controller-manager controller-manager
kubeconfig scheduler scheduler
kubeconfig kubelet kubelet-client
