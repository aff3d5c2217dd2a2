package dev.ambassadorlab.labtests.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into Kubernetes' own API types (fabric8's model, generated from the Kubernetes OpenAPI
 * schema) and refuses what the schema does not know: a misspelt field lands in a type's "additional properties",
 * a wrong type fails to parse. Either is reported with its path in the document.
 */
final class KubernetesSchema {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Pod", Pod.class, "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class,
            "v1/Service", Service.class, "apps/v1/Deployment", Deployment.class);

    private KubernetesSchema() {
    }

    static HasMetadata read(Path file) throws IOException {
        JsonNode document = YAML.readTree(file.toFile());
        String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) throw new AssertionError(file.getFileName() + ": unexpected kind " + kind);
        HasMetadata resource;
        try {
            resource = YAML.treeToValue(document, type);
        } catch (IOException wrongType) {
            throw new AssertionError(file.getFileName() + " does not fit the Kubernetes schema of " + kind + ": "
                    + wrongType.getMessage(), wrongType);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(resource, kind, unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(file.getFileName() + " has fields the Kubernetes schema of " + kind
                    + " does not know: " + unknown);
        }
        return resource;
    }

    /** Walks the model and lists every field that went to a type's "additional properties". */
    private static void collectUnknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, true) != null) return;
        if (node instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) collectUnknownFields(item, path + "[" + index++ + "]", unknown, seen);
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class) continue;
            String name = getter.getName();
            if (!name.startsWith("get")) continue;
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException unreadable) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) extra.keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                collectUnknownFields(value, path + "." + field, unknown, seen);
            }
        }
    }
}
