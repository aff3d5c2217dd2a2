package dev.ambassadorlab.labtests.docs;

import dev.ambassadorlab.labtests.pod.LabPod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The lab's own text files: sources, READMEs, scripts, manifests; not builds, downloads, images or git's data. */
public final class RepositoryFiles {
    /** Directories that hold what a build, a run or an IDE made, never what the lab is written in. */
    private static final Set<String> NOT_OURS = Set.of(".git", "target", ".lab", ".idea", ".vscode", ".mvn", "node_modules");

    private RepositoryFiles() {
    }

    /** Every text file, with its path relative to the lab's root. */
    public static List<Path> textFiles() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(LabPod.ROOT)) {
            walk.filter(Files::isRegularFile)
                    .map(LabPod.ROOT::relativize)
                    .filter(file -> !isGenerated(file))
                    .filter(file -> text(file).isPresent())
                    .forEach(files::add);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return files;
    }

    /** The file's text, or empty when it is not UTF-8 text (an image, a jar). */
    public static Optional<String> text(Path relative) {
        try {
            byte[] bytes = Files.readAllBytes(LabPod.ROOT.resolve(relative));
            for (byte b : bytes) if (b == 0) return Optional.empty();
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException binary) {
            return Optional.empty();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static boolean isGenerated(Path relative) {
        for (Path part : relative) if (NOT_OURS.contains(part.toString())) return true;
        // ./lab up saves its cats in images/ at the root (lab-tests/images/ is the image builder, and ours).
        return relative.getNameCount() > 1 && relative.getName(0).toString().equals("images");
    }
}
