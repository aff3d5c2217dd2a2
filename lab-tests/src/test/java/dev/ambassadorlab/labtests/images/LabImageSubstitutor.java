package dev.ambassadorlab.labtests.images;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Offline, points each public image at its local stand-in and checks that the stand-in exists, so a missing image is
 * a one-line error naming the command that builds it, instead of a pull that hangs. Online, changes nothing.
 */
public final class LabImageSubstitutor extends ImageNameSubstitutor {

    @Override
    public DockerImageName apply(DockerImageName original) {
        if (!LabImages.offline() || original.getRepository().startsWith("ambassador-lab/")) return original;
        DockerImageName local = LabImages.standInFor(original).orElseThrow(() -> new IllegalStateException(
                "Offline mode (LAB_IMAGES=offline) has no local stand-in for " + original.asCanonicalNameString()
                        + "; the suite would try to pull it. With Testcontainers' helpers off "
                        + "(TESTCONTAINERS_RYUK_DISABLED=true, TESTCONTAINERS_HOST_OVERRIDE=localhost) only the lab's images are used."));
        requireLocal(local, original);
        return local.asCompatibleSubstituteFor(original);
    }

    static void requireLocal(DockerImageName local, DockerImageName original) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(local.asCanonicalNameString()).exec();
        } catch (NotFoundException missing) {
            throw new IllegalStateException("Offline image " + local.asCanonicalNameString() + " (the stand-in for "
                    + original.asCanonicalNameString() + ") is missing: build it with " + LabImages.BUILD_COMMAND);
        }
    }

    @Override
    protected String getDescription() {
        return "Ambassador Lab: public images online, local stand-ins offline";
    }
}
