package dev.ambassadorlab.labtests.images;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Settles, before the chaos suite's JVM starts, the two things Testcontainers reads only from the environment:
 * whether its reaper (Ryuk) can run, and which host reaches the engine's ports. Maven runs it (exec:java) and hands
 * what it writes to the suite as environment variables, so a plain {@code ./mvnw verify} neither waits on a Ryuk image
 * that cannot be pulled nor on the gateway lookup Testcontainers starts when it believes it runs inside a container.
 * A value the caller set in the environment is kept as it is.
 */
public final class SuiteEnvironment {
    private SuiteEnvironment() {
    }

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args.length > 0 ? args[0] : "target/suite-environment.properties");
        var settings = new Properties();
        settings.setProperty("lab.ryuk.disabled", ryukDisabled());
        settings.setProperty("lab.host.override", hostOverride());
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(output)) {
            settings.store(out, "Decided by " + SuiteEnvironment.class.getSimpleName() + " for this run of the chaos suite");
        }
    }

    private static String ryukDisabled() {
        String set = System.getenv("TESTCONTAINERS_RYUK_DISABLED");
        if (set != null) return set;
        Optional<DockerClient> docker = dockerClient();
        if (docker.isEmpty()) return "false"; // the suite itself says that no engine answers, and what to do
        DockerImageName ryuk = LabImages.ryuk();
        if (ImagePull.present(docker.get(), ryuk)) return "false";
        Optional<String> failure = ImagePull.pull(docker.get(), ryuk);
        if (failure.isEmpty()) return "false";
        System.out.println("[lab] Testcontainers' reaper image " + ryuk.asCanonicalNameString() + " cannot be pulled ("
                + failure.get() + "): the suite runs without it and stops its own containers.");
        return "true";
    }

    /**
     * With a /.dockerenv file Testcontainers believes it runs inside a container and asks a helper container for the
     * gateway, which needs a pull. When this process shares the engine's network (its docker0 bridge is here: a VM that
     * merely has that file), the engine's ports are on localhost. In a real container, or with a remote engine
     * (DOCKER_HOST=tcp://...), Testcontainers' own lookup is right and is left alone.
     */
    private static String hostOverride() {
        String set = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
        if (set != null) return set;
        boolean localEngine = System.getenv().getOrDefault("DOCKER_HOST", "unix://").startsWith("unix://");
        boolean sharesEngineNetwork = Files.exists(Path.of("/sys/class/net/docker0"));
        return Files.exists(Path.of("/.dockerenv")) && localEngine && sharesEngineNetwork ? "localhost" : "";
    }

    private static Optional<DockerClient> dockerClient() {
        List<DockerClientProviderStrategy> strategies = new ArrayList<>();
        ServiceLoader.load(DockerClientProviderStrategy.class).forEach(strategies::add);
        try {
            return Optional.of(DockerClientProviderStrategy.getFirstValidStrategy(strategies).getDockerClient());
        } catch (RuntimeException noEngine) {
            return Optional.empty();
        }
    }
}
