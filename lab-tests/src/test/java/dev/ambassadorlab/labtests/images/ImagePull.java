package dev.ambassadorlab.labtests.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the Docker engine whether an image is on this machine, and pulls one with a single attempt. Testcontainers' own
 * pull retries for two minutes per image when there is no registry; here the engine's "no such host" ends the attempt
 * in a second, and a pull that makes progress goes on for as long as it does.
 */
final class ImagePull {
    /** A pull that reports nothing for this long is given up: a registry that answers sends progress every second. */
    static final Duration MAX_SILENCE = Duration.ofSeconds(20);

    private ImagePull() {
    }

    static boolean present(DockerClient docker, DockerImageName image) {
        try {
            docker.inspectImageCmd(image.asCanonicalNameString()).exec();
            return true;
        } catch (NotFoundException absent) {
            return false;
        }
    }

    /** Pulls the image once; empty when it is now on the machine, otherwise why it is not. */
    static Optional<String> pull(DockerClient docker, DockerImageName image) {
        var lastProgress = new AtomicLong(System.nanoTime());
        var callback = new PullImageResultCallback() {
            @Override
            public void onNext(PullResponseItem item) {
                lastProgress.set(System.nanoTime());
                super.onNext(item);
            }
        };
        try (callback) {
            docker.pullImageCmd(image.getUnversionedPart()).withTag(image.getVersionPart()).exec(callback);
            while (!callback.awaitCompletion(1, TimeUnit.SECONDS)) {
                if (System.nanoTime() - lastProgress.get() > MAX_SILENCE.toNanos()) {
                    return Optional.of("the registry sent nothing for " + MAX_SILENCE.toSeconds() + " s");
                }
            }
            return present(docker, image) ? Optional.empty() : Optional.of("the engine finished the pull without the image");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (RuntimeException | IOException failed) {
            return Optional.of(firstLine(failed.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "the engine gave no reason";
        String line = message.strip().lines().findFirst().orElse(message);
        // The engine's answers are JSON: {"message":"Get \"https://...\": dial tcp: lookup ...: no such host"}
        return line.replaceFirst("^Status \\d+: \\{\"message\":\"(.*)\"}$", "$1").replace("\\\"", "\"");
    }
}
