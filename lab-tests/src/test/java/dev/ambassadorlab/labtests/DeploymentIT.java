package dev.ambassadorlab.labtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.ExerciseMode;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Exercise 10: the pod manifest and the Compose file put the ambassador next to the app as a sidecar. */
@Tag("exercise-10")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ExtendWith(ScenarioLog.class)
class DeploymentIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode read(String file) throws IOException {
        Exercise exercise = Exercise.SIDECAR_DEPLOYMENT;
        Path dir = ExerciseMode.exercises() ? exercise.exerciseDir() : exercise.solutionDir();
        return YAML.readTree(dir.resolve(file).toFile());
    }

    private static JsonNode named(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false)
                .filter(item -> name.equals(item.path("name").asText())).findFirst().orElse(null);
    }

    private static JsonNode ambassador(JsonNode pod) {
        JsonNode sidecar = named(pod.path("spec").path("initContainers"), "ambassador");
        return sidecar != null ? sidecar : named(pod.path("spec").path("containers"), "ambassador");
    }

    @Test
    void the_ambassador_is_a_native_sidecar_started_before_the_app() throws IOException {
        JsonNode spec = read("pod.yaml").path("spec");
        JsonNode sidecar = named(spec.path("initContainers"), "ambassador");

        assertThat(sidecar != null && "Always".equals(sidecar.path("restartPolicy").asText()))
                .withFailMessage("expected the ambassador in spec.initContainers with restartPolicy: Always (a native "
                        + "sidecar: started and ready before the app, stopped after it); %s",
                        sidecar == null ? "it is not in spec.initContainers" : "its restartPolicy is not Always")
                .isTrue();
        assertThat(named(spec.path("containers"), "ambassador")).as("the ambassador also in spec.containers").isNull();
        assertThat(named(spec.path("containers"), "app")).as("the app container").isNotNull();
    }

    @Test
    void the_ambassador_has_readiness_and_liveness_probes() throws IOException {
        JsonNode ambassador = ambassador(read("pod.yaml"));

        String ready = ambassador.path("readinessProbe").path("httpGet").path("path").asText();
        String live = ambassador.path("livenessProbe").path("httpGet").path("path").asText();
        assertThat(ready.equals("/health/ready") && live.equals("/health/live"))
                .withFailMessage("expected the ambassador sidecar to have a readinessProbe on /health/ready and a "
                        + "livenessProbe on /health/live (the admin port); found \"%s\" and \"%s\"", ready, live)
                .isTrue();
        String startup = ambassador.path("startupProbe").path("httpGet").path("path").asText();
        assertThat(startup).withFailMessage("expected the ambassador sidecar to have a startupProbe on /health/ready: "
                + "a native sidecar's app starts once its startup probe passes (without one, as soon as its process "
                + "runs, ready or not); found \"%s\"", startup).isEqualTo("/health/ready");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            String port = ambassador.path(probe).path("httpGet").path("port").asText();
            assertThat(port).withFailMessage("the ambassador's %s asks port %s; the health endpoints are on the admin "
                    + "port (9901, or its name \"admin\"): the proxy port listens on the pod's loopback only, where the "
                    + "kubelet cannot reach it", probe, port).isIn("9901", "admin");
        }
    }

    @Test
    void the_app_calls_its_ambassador_on_localhost() throws IOException {
        JsonNode app = named(read("pod.yaml").path("spec").path("containers"), "app");
        JsonNode url = named(app.path("env"), "AMBASSADOR_URL");

        String value = url == null ? "(unset)" : url.path("value").asText();
        assertThat(value).withFailMessage("containers in one pod share its network, so the app's sidecar is at "
                + "http://localhost:5001; AMBASSADOR_URL is %s", value).isEqualTo("http://localhost:5001");
        List<String> appEnv = new ArrayList<>();
        app.path("env").forEach(variable -> appEnv.add(variable.path("name").asText()));
        assertThat(appEnv).as("the app's environment: the key belongs to the ambassador alone")
                .noneMatch(name -> name.startsWith("CAT_API_KEY"));
    }

    @Test
    void every_container_asks_for_resources_and_has_a_memory_limit() throws IOException {
        JsonNode spec = read("pod.yaml").path("spec");
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : spec.path(list)) {
                JsonNode resources = container.path("resources");
                assertThat(resources.path("requests").has("memory") && resources.path("limits").has("memory"))
                        .withFailMessage("container %s needs resources.requests and a memory limit",
                                container.path("name").asText())
                        .isTrue();
            }
        }
    }

    @Test
    void in_compose_the_app_shares_the_ambassadors_network_like_a_sidecar() throws IOException {
        JsonNode services = read("compose.yaml").path("services");
        JsonNode app = services.path("app");

        String mode = app.path("network_mode").asText("(none)");
        assertThat(mode).withFailMessage("expected the app to join the ambassador's network namespace, as a sidecar in a "
                + "pod does: network_mode: service:ambassador; found %s", mode).isEqualTo("service:ambassador");
        assertThat(app.path("environment").path("AMBASSADOR_URL").asText())
                .as("the app's AMBASSADOR_URL: its ambassador on localhost, in the shared namespace")
                .isEqualTo("http://localhost:5001");
        assertThat(app.has("ports")).as("ports on the app (they belong to the namespace's owner)").isFalse();
        assertThat(services.path("ambassador").path("ports").toString()).as("the ambassador publishes the app's port")
                .contains("5000:5000");
    }

    @Test
    void in_compose_the_app_starts_once_its_ambassador_is_healthy() throws IOException {
        JsonNode services = read("compose.yaml").path("services");

        String condition = services.path("app").path("depends_on").path("ambassador").path("condition").asText("(none)");
        assertThat(services.path("ambassador").has("healthcheck") && condition.equals("service_healthy"))
                .withFailMessage("expected a healthcheck on the ambassador and the app to depend on it with condition: "
                        + "service_healthy, as a native sidecar is ready before its app; the condition is %s", condition)
                .isTrue();
        String test = services.path("ambassador").path("healthcheck").path("test").toString();
        assertThat(test.contains("/health/ready") && test.contains("9901"))
                .withFailMessage("the ambassador's healthcheck must ask its readiness endpoint, GET /health/ready on the "
                        + "admin port 9901 (a check that always passes, such as [\"CMD\", \"true\"], lets the app start "
                        + "before its ambassador is ready); the healthcheck's test is %s", test)
                .isTrue();
    }
}
