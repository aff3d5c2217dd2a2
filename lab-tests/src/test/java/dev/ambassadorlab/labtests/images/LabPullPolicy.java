package dev.ambassadorlab.labtests.images;

import org.testcontainers.images.AbstractImagePullPolicy;
import org.testcontainers.images.ImageData;
import org.testcontainers.utility.DockerImageName;

/**
 * Online, Testcontainers' default: pull an image only when it is not on the machine. Offline, never pull (there is
 * no registry); the substitutor has already checked that the stand-in exists.
 */
public final class LabPullPolicy extends AbstractImagePullPolicy {

    @Override
    public boolean shouldPull(DockerImageName image) {
        return !LabImages.offline() && super.shouldPull(image);
    }

    @Override
    protected boolean shouldPullCached(DockerImageName image, ImageData localImage) {
        return false;
    }
}
