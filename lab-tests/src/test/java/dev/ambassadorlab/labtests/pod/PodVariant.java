package dev.ambassadorlab.labtests.pod;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the pod's two services are started: with or without an overlay jar of exercise classes in front of the
 * finished ones, and with extra settings for the app.
 *
 * @param ambassadorOverlay null for the finished ambassador
 * @param appOverlay        null for the finished app
 */
public record PodVariant(Path ambassadorOverlay, Path appOverlay, Map<String, String> appSettings) {
    public static final PodVariant FINISHED = new PodVariant(null, null, Map.of());

    public PodVariant withAppSettings(Map<String, String> settings) {
        return new PodVariant(ambassadorOverlay, appOverlay, settings);
    }
}
