package dev.ambassadorlab.ambassador;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ambassador's packages are layers that point one way: each may use only the ones below it, so no package knows
 * the one that calls it and no two use each other. The finished code, the solutions and the starters all follow it
 * (a learner's copy is compiled into the same packages). A new package must be given its place here.
 */
class PackageLayersTest {
    /** Top first. "" is the wiring (AmbassadorApp, AmbassadorMain): it may use every package, and none uses it. */
    static final List<String> LAYERS = List.of("", "web", "resilience", "images", "upstream", "request", "trace",
            "config", "security", "metrics", "errors");
    private static final String ROOT = "dev.ambassadorlab.ambassador";
    private static final Pattern PACKAGE = Pattern.compile("^package " + Pattern.quote(ROOT) + "(?:\\.(\\w+))?;", Pattern.MULTILINE);
    /** A use of another package: an import, or a name written out in the code. */
    private static final Pattern USE = Pattern.compile(Pattern.quote(ROOT) + "\\.(?:(\\w+)\\.)?[A-Z]\\w*");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*[\\s\\S]*?\\*/");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        List<String> upward = new ArrayList<>();
        TreeSet<String> unplaced = new TreeSet<>();
        for (Path file : sources()) {
            String code = read(file);
            Matcher declared = PACKAGE.matcher(code);
            if (!declared.find()) continue;
            String own = declared.group(1) == null ? "" : declared.group(1);
            if (!LAYERS.contains(own)) {
                unplaced.add(own);
                continue;
            }
            Matcher use = USE.matcher(COMMENT.matcher(code).replaceAll(""));
            while (use.find()) {
                String used = use.group(1) == null ? "" : use.group(1);
                if (used.equals(own)) continue;
                if (!LAYERS.contains(used)) unplaced.add(used);
                else if (LAYERS.indexOf(used) < LAYERS.indexOf(own)) upward.add(file + " (" + layer(own) + ") uses "
                        + use.group() + " (" + layer(used) + ", above it)");
            }
        }
        assertThat(unplaced).as("packages without a place in LAYERS").isEmpty();
        assertThat(upward).as("uses of a package above the user's own, in the order %s", LAYERS).isEmpty();
    }

    @Test
    void theScanSeesTheFinishedCodeTheSolutionsAndTheStarters() {
        List<Path> files = sources();
        assertThat(files).as("files scanned").anyMatch(file -> file.endsWith("AmbassadorApp.java"))
                .anyMatch(file -> file.toString().contains("solutions"))
                .anyMatch(file -> file.toString().contains("exercises"));
    }

    private static String layer(String name) {
        return name.isEmpty() ? "the wiring" : name;
    }

    private static List<Path> sources() {
        List<Path> roots = new ArrayList<>(List.of(Path.of("src/main/java")));
        for (String kind : List.of("../solutions", "../exercises")) {
            try (Stream<Path> exercises = Files.list(Path.of(kind))) {
                exercises.map(dir -> dir.resolve("src")).filter(Files::isDirectory).forEach(roots::add);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            Path packages = root.resolve("dev/ambassadorlab/ambassador");
            if (!Files.isDirectory(packages)) continue;
            try (Stream<Path> walk = Files.walk(packages)) {
                walk.filter(file -> file.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
