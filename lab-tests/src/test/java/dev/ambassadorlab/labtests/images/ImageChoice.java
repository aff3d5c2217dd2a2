package dev.ambassadorlab.labtests.images;

import com.github.dockerjava.api.DockerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which image the suite runs for each public name, decided once per image and run. Offline mode takes the local
 * stand-in; online mode the public image; the default (auto) takes the public image when it is here or can be pulled,
 * and otherwise the stand-in when it was built. Every pull is one bounded attempt, and after the first failed one the
 * registry is taken as unreachable for the rest of the run, so a machine without a registry never waits on it.
 */
public final class ImageChoice {
    private static final Logger LOG = LoggerFactory.getLogger(ImageChoice.class);
    private static final ImageChoice INSTANCE = new ImageChoice(() -> DockerClientFactory.instance().client());

    private final Supplier<DockerClient> docker;
    private final Map<DockerImageName, DockerImageName> chosen = new HashMap<>();
    private String registryFailure;
    private boolean toldAboutStandIns;

    ImageChoice(Supplier<DockerClient> docker) {
        this.docker = docker;
    }

    public static ImageChoice instance() {
        return INSTANCE;
    }

    /** The image to run for a public name; it is on the machine when this returns. */
    public synchronized DockerImageName resolve(DockerImageName wanted) {
        return chosen.computeIfAbsent(wanted, this::choose);
    }

    private DockerImageName choose(DockerImageName wanted) {
        Optional<DockerImageName> standIn = LabImages.standInFor(wanted);
        LabImages.Mode mode = LabImages.mode();
        DockerClient client = docker.get();
        // An image the lab has no stand-in for (an ambassador being graded, say) runs as it is when it is here.
        if (standIn.isEmpty() && ImagePull.present(client, wanted)) return wanted;
        if (mode == LabImages.Mode.OFFLINE) {
            DockerImageName local = standIn.orElseThrow(() -> new IllegalStateException("Offline mode (LAB_IMAGES=offline) "
                    + "has no local stand-in for " + wanted.asCanonicalNameString() + ", and would have to pull it. "
                    + "Run the suite with ./lab test, which turns off what cannot be had offline."));
            if (!ImagePull.present(client, local)) {
                throw new IllegalStateException("Offline image " + local.asCanonicalNameString() + " (the stand-in for "
                        + wanted.asCanonicalNameString() + ") is missing: build it with " + LabImages.BUILD_COMMAND
                        + ", or run the suite with ./lab test, which builds what is missing");
            }
            return local.asCompatibleSubstituteFor(wanted);
        }
        if (ImagePull.present(client, wanted)) return wanted;
        if (registryFailure == null) {
            LOG.info("Pulling {} (one attempt; it is not on this machine)", wanted.asCanonicalNameString());
            registryFailure = ImagePull.pull(client, wanted).orElse(null);
            if (registryFailure == null) return wanted;
        }
        if (mode == LabImages.Mode.AUTO && standIn.isPresent() && ImagePull.present(client, standIn.get())) {
            if (!toldAboutStandIns) {
                toldAboutStandIns = true;
                LOG.warn("The public images cannot be pulled ({}): using the local stand-ins that {} built, "
                        + "the same as LAB_IMAGES=offline", registryFailure, LabImages.BUILD_COMMAND);
            }
            LOG.info("{} stands in for {}", standIn.get().asCanonicalNameString(), wanted.asCanonicalNameString());
            return standIn.get().asCompatibleSubstituteFor(wanted);
        }
        throw new IllegalStateException(cannotBeHad(wanted, standIn));
    }

    private String cannotBeHad(DockerImageName wanted, Optional<DockerImageName> standIn) {
        String image = wanted.asCanonicalNameString();
        String fix = standIn.isPresent()
                ? "Run the suite with ./lab test, which builds local stand-ins when there is no registry "
                        + "(or build them with " + LabImages.BUILD_COMMAND + " and run with LAB_IMAGES=offline)."
                : "Run the suite with ./lab test, which runs without what cannot be had"
                        + (LabImages.isRyuk(wanted) ? " (or set TESTCONTAINERS_RYUK_DISABLED=true: the suite stops its own containers)." : ".");
        return "The chaos suite needs " + image + ", which is not on this machine and cannot be pulled (" + registryFailure
                + "). " + fix;
    }
}
