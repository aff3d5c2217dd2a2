package dev.ambassadorlab.labtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ambassadorlab.labtests.pod.LabPod;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests in deploy/kubernetes (every resource of its kustomization) and the pod of exercise 10's
 * solution fit Kubernetes' schema, and say what the pattern needs: the ambassador as a native sidecar, probes,
 * resources, the key from a Secret for the ambassador only, and Prometheus' scrape annotations.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesManifestsTest {
    private static final Path KUBERNETES = LabPod.ROOT.resolve("deploy/kubernetes");
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void readTheKustomization() throws IOException {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(KUBERNETES.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        for (JsonNode resource : kustomization.path("resources")) {
            RESOURCES.add(KubernetesSchema.read(KUBERNETES.resolve(resource.asText())));
        }
    }

    private static <T extends HasMetadata> T only(Class<T> type) {
        List<T> found = RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("%s resources in the kustomization", type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static Container container(List<Container> containers, String name) {
        return containers.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
    }

    /** What any pod running this pattern must have, wherever it is declared. */
    private static void assertSidecarPod(PodSpec spec) {
        Container ambassador = container(spec.getInitContainers(), "ambassador");
        assertThat(ambassador).as("the ambassador in initContainers (a native sidecar)").isNotNull();
        assertThat(ambassador.getRestartPolicy()).as("the sidecar's restartPolicy").isEqualTo("Always");
        assertThat(container(spec.getContainers(), "ambassador")).as("the ambassador also in containers").isNull();
        assertThat(ambassador.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(ambassador.getLivenessProbe().getHttpGet().getPath()).as("liveness never depends on the upstream")
                .isEqualTo("/health/live");
        assertThat(ambassador.getStartupProbe()).as("the sidecar's startup probe: the app starts once it passes").isNotNull();
        assertThat(ambassador.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        for (var probe : List.of(ambassador.getStartupProbe(), ambassador.getReadinessProbe(), ambassador.getLivenessProbe())) {
            var port = probe.getHttpGet().getPort();
            assertThat(port.getIntVal() != null ? String.valueOf(port.getIntVal()) : port.getStrVal()).as("a probe's port: the admin port, as the proxy port "
                    + "listens on the pod's loopback only").isIn("9901", "admin");
        }

        Container app = container(spec.getContainers(), "app");
        assertThat(app.getEnv()).as("the app's environment")
                .anySatisfy(variable -> {
                    assertThat(variable.getName()).isEqualTo("AMBASSADOR_URL");
                    assertThat(variable.getValue()).isEqualTo("http://localhost:5001");
                })
                .noneSatisfy(variable -> assertThat(variable.getName()).startsWith("CAT_API_KEY"));
        assertThat(app.getVolumeMounts()).as("the app's mounts: the key is the ambassador's alone")
                .noneSatisfy(mount -> assertThat(mount.getMountPath()).contains("cat-api"));
        for (Container container : List.of(ambassador, app)) {
            assertThat(container.getResources().getRequests()).as("%s requests", container.getName()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as("%s limits", container.getName()).containsKey("memory");
        }
    }

    @Test
    void every_resource_fits_the_kubernetes_schema() {
        assertThat(RESOURCES).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ConfigMap", "Secret", "Deployment", "Service");
    }

    @Test
    void the_deployment_runs_the_ambassador_as_a_native_sidecar_of_the_app() {
        assertSidecarPod(only(Deployment.class).getSpec().getTemplate().getSpec());
    }

    @Test
    void the_sidecar_takes_its_settings_from_the_config_map_and_its_key_from_the_secret() {
        PodSpec spec = only(Deployment.class).getSpec().getTemplate().getSpec();
        Container ambassador = container(spec.getInitContainers(), "ambassador");

        assertThat(ambassador.getEnvFrom()).filteredOn(source -> source.getConfigMapRef() != null)
                .extracting(source -> source.getConfigMapRef().getName())
                .contains(only(ConfigMap.class).getMetadata().getName());
        assertThat(only(ConfigMap.class).getData()).doesNotContainKeys("CAT_API_KEY", "CAT_API_KEY_FILE");
        assertThat(spec.getVolumes()).filteredOn(volume -> volume.getSecret() != null)
                .extracting(volume -> volume.getSecret().getSecretName())
                .contains(only(Secret.class).getMetadata().getName());
        assertThat(ambassador.getEnv()).anySatisfy(variable -> assertThat(variable.getName()).isEqualTo("CAT_API_KEY_FILE"));
    }

    @Test
    void prometheus_is_told_to_scrape_the_ambassador() {
        var annotations = only(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "9901")
                .containsEntry("prometheus.io/path", "/metrics");
    }

    @Test
    void the_service_selects_the_pods_of_the_deployment_and_exposes_the_app() {
        Deployment deployment = only(Deployment.class);
        Service service = only(Service.class);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
    }

    @Test
    void the_pod_of_exercise_10s_solution_fits_the_schema_and_the_pattern() throws IOException {
        HasMetadata pod = KubernetesSchema.read(LabPod.ROOT.resolve("solutions/10-sidecar-deployment/pod.yaml"));

        assertThat(pod).isInstanceOf(Pod.class);
        assertSidecarPod(((Pod) pod).getSpec());
    }
}
