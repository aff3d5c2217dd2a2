package dev.ambassadorlab.labtests.images;

import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers never pulls: {@link ImageChoice} has already put every image on the machine, with one bounded
 * attempt, where Testcontainers' own pull would retry for two minutes when there is no registry.
 */
public final class LabPullPolicy implements ImagePullPolicy {

    @Override
    public boolean shouldPull(DockerImageName image) {
        return false;
    }
}
