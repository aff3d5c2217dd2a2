package dev.ambassadorlab.labtests.pod;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the pod's two services are started: with or without an overlay jar of exercise classes in front of the
 * finished ones, and with settings over the pod's own.
 *
 * @param ambassadorOverlay null for the finished ambassador
 * @param appOverlay        null for the finished app
 */
public record PodVariant(Path ambassadorOverlay, Path appOverlay, Map<String, String> ambassadorSettings,
                         Map<String, String> appSettings) {
    public static final PodVariant FINISHED = new PodVariant(null, null, Map.of(), Map.of());

    public PodVariant withSettings(Map<String, String> ambassador, Map<String, String> app) {
        return new PodVariant(ambassadorOverlay, appOverlay, ambassador, app);
    }

    public PodVariant withOverlays(Path ambassador, Path app) {
        return new PodVariant(ambassador, app, ambassadorSettings, appSettings);
    }

    /** The app must restart when its code or its settings differ. */
    boolean sameAppAs(PodVariant other) {
        return other != null && java.util.Objects.equals(appOverlay, other.appOverlay)
                && appSettings.equals(other.appSettings);
    }

    /** The ambassador must restart when its code or its settings differ. */
    boolean sameAmbassadorAs(PodVariant other) {
        return other != null && java.util.Objects.equals(ambassadorOverlay, other.ambassadorOverlay)
                && ambassadorSettings.equals(other.ambassadorSettings);
    }
}
