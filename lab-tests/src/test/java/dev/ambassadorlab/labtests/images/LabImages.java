package dev.ambassadorlab.labtests.images;

import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The public images the suite runs (versions from the parent pom) and their offline stand-ins. The environment variable
 * LAB_IMAGES (or the system property lab.images) picks them: "offline" the stand-ins, "online" the public images, and
 * unset lets {@link ImageChoice} decide per image.
 */
public final class LabImages {
    public static final String BUILD_COMMAND = "./lab images --offline";
    private static final Properties NAMES = load();

    private LabImages() {
    }

    /** How the suite picks its images. */
    public enum Mode { AUTO, ONLINE, OFFLINE }

    public static Mode mode() {
        String mode = System.getProperty("lab.images", System.getenv().getOrDefault("LAB_IMAGES", "")).trim();
        if (mode.isEmpty() || mode.equalsIgnoreCase("auto")) return Mode.AUTO;
        if (mode.equalsIgnoreCase("online")) return Mode.ONLINE;
        if (mode.equalsIgnoreCase("offline")) return Mode.OFFLINE;
        throw new IllegalStateException("LAB_IMAGES is '" + mode + "'; use offline (the local stand-ins), online "
                + "(the public images) or leave it unset (the public ones when they can be had, else the stand-ins)");
    }

    /** Testcontainers' reaper, which has no stand-in: the Go module proxy does not serve it. */
    public static DockerImageName ryuk() {
        return DockerImageName.parse(NAMES.getProperty("ryuk"));
    }

    static boolean isRyuk(DockerImageName image) {
        return image.getRepository().equals(ryuk().getRepository());
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
