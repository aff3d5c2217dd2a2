package dev.ambassadorlab.labtests.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema check itself must catch mistakes, or the manifest tests would pass on anything. */
class KubernetesSchemaTest {
    @TempDir
    Path dir;

    private Path manifest(String yaml) throws IOException {
        return Files.writeString(dir.resolve("manifest.yaml"), yaml);
    }

    @Test
    void aMisspeltFieldIsReportedWithItsPath() throws IOException {
        Path pod = manifest("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  initContainers:
                    - name: ambassador
                      image: x
                      restartPolicyy: Always
                """);

        assertThatThrownBy(() -> KubernetesSchema.read(pod))
                .hasMessageContaining("does not know").hasMessageContaining("initContainers[0].restartPolicyy");
    }

    @Test
    void aValueOfTheWrongTypeIsReported() throws IOException {
        Path service = manifest("""
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  ports:
                    - port: [80]
                """);

        assertThatThrownBy(() -> KubernetesSchema.read(service)).hasMessageContaining("does not fit the Kubernetes schema");
    }

    @Test
    void aKindTheLabDoesNotUseIsReported() throws IOException {
        Path job = manifest("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n");

        assertThatThrownBy(() -> KubernetesSchema.read(job)).hasMessageContaining("unexpected kind batch/v1/Job");
    }

    @Test
    void aCorrectManifestReads() throws IOException {
        Path configMap = manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {A: b}\n");

        assertThat(KubernetesSchema.read(configMap).getMetadata().getName()).isEqualTo("c");
    }
}
