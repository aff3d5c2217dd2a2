package dev.ambassadorlab.labtests.images;

import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Every image Testcontainers runs passes here (the suite's, and Testcontainers' own helpers): {@link ImageChoice}
 * picks the public image or its local stand-in and makes sure it is on the machine, so a missing image is a one-line
 * error naming the fix instead of a pull that retries for minutes. The lab's own images are built, not pulled.
 */
public final class LabImageSubstitutor extends ImageNameSubstitutor {

    @Override
    public DockerImageName apply(DockerImageName original) {
        if (original.getRepository().startsWith("ambassador-lab/")) return original;
        return ImageChoice.instance().resolve(original);
    }

    @Override
    protected String getDescription() {
        return "Ambassador Lab: public images when they can be had, local stand-ins otherwise";
    }
}
