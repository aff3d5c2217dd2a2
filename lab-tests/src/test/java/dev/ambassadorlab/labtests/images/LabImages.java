package dev.ambassadorlab.labtests.images;

import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The public images the suite runs (versions from the parent pom) and their offline stand-ins. Offline mode is on
 * when the environment variable LAB_IMAGES (or the system property lab.images) is "offline".
 */
public final class LabImages {
    public static final String BUILD_COMMAND = "./lab images --offline";
    private static final Properties NAMES = load();

    private LabImages() {
    }

    public static boolean offline() {
        String mode = System.getProperty("lab.images", System.getenv().getOrDefault("LAB_IMAGES", "online"));
        return mode.trim().equalsIgnoreCase("offline");
    }

    public static DockerImageName jre() {
        return DockerImageName.parse(NAMES.getProperty("jre"));
    }

    public static DockerImageName toxiproxy() {
        return DockerImageName.parse(NAMES.getProperty("toxiproxy"));
    }

    public static DockerImageName wiremock() {
        return DockerImageName.parse(NAMES.getProperty("wiremock"));
    }

    public static DockerImageName prometheus() {
        return DockerImageName.parse(NAMES.getProperty("prometheus"));
    }

    /** The version of Toxiproxy the suite expects the server to report. */
    public static String toxiproxyVersion() {
        return toxiproxy().getVersionPart();
    }

    /** The local stand-in for a public image, if the lab builds one. */
    public static Optional<DockerImageName> standInFor(DockerImageName image) {
        for (String key : NAMES.stringPropertyNames()) {
            if (!key.endsWith(".offline") && image.equals(DockerImageName.parse(NAMES.getProperty(key)))) {
                return Optional.of(DockerImageName.parse(NAMES.getProperty(key + ".offline")));
            }
        }
        return Optional.empty();
    }

    /** The image to run for a public name: the name itself online, its stand-in offline. */
    public static DockerImageName resolve(DockerImageName image) {
        return offline() ? standInFor(image).orElse(image) : image;
    }

    private static Properties load() {
        var properties = new Properties();
        try (InputStream in = LabImages.class.getResourceAsStream("/lab-images.properties")) {
            if (in == null) throw new IOException("lab-images.properties is not on the test classpath");
            properties.load(in);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return properties;
    }
}
