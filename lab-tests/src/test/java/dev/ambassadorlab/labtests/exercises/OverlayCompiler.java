package dev.ambassadorlab.labtests.exercises;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Compiles an exercise's files against the finished service into an overlay jar. Put first on the service's class
 * path, its classes replace the finished ones of the same name: the learner's part, plugged into the finished rest.
 */
public final class OverlayCompiler {
    private OverlayCompiler() {
    }

    /** The learner's code does not compile: each error as Maven prints it ("path:[line,column] message"). */
    public static final class DoesNotCompile extends AssertionError {
        private final List<String> errors;

        DoesNotCompile(Path sourceDir, List<String> errors) {
            super("Your code in " + LabPaths.relative(sourceDir) + " does not compile:\n  "
                    + String.join("\n  ", errors));
            this.errors = errors;
        }

        public List<String> errors() {
            return errors;
        }
    }

    /**
     * @param serviceDir the service module (ambassador/ or app/), whose target/ holds its jar and libraries
     * @param output     the overlay jar to write
     * @throws DoesNotCompile when the exercise does not compile, with the compiler's messages
     */
    public static Path compile(Path sourceDir, Path serviceDir, Path output) {
        String name = serviceDir.getFileName().toString();
        Path jar = serviceDir.resolve("target/" + name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -DskipTests package)");
        }
        Path classes = null;
        try {
            classes = Files.createTempDirectory("overlay-classes");
            List<String> classpath = new ArrayList<>(List.of(jar.toString()));
            try (Stream<Path> libs = Files.list(serviceDir.resolve("target/lib"))) {
                libs.map(Path::toString).sorted().forEach(classpath::add);
            }
            List<File> sources;
            try (Stream<Path> files = Files.walk(sourceDir)) {
                sources = files.filter(file -> file.toString().endsWith(".java")).map(Path::toFile).toList();
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) throw new IllegalStateException("the checks need a JDK (javac), not only a JRE");
            var diagnostics = new DiagnosticCollector<JavaFileObject>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                boolean ok = javac.getTask(null, files, diagnostics,
                        List.of("-d", classes.toString(), "-cp", String.join(File.pathSeparator, classpath),
                                "--release", "17", "-proc:none"),
                        null, files.getJavaFileObjectsFromFiles(sources)).call();
                if (!ok) throw new DoesNotCompile(sourceDir, errors(diagnostics));
            }
            Files.createDirectories(output.getParent());
            writeJar(classes, output);
            return output;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } finally {
            if (classes != null) deleteTree(classes);
        }
    }

    /** Each error once, sorted, in Maven's words: what ./lab check shows for code that does not compile. */
    private static List<String> errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(problem -> problem.getKind() == Diagnostic.Kind.ERROR)
                .map(problem -> (problem.getSource() == null ? "?"
                        : LabPaths.relative(Path.of(problem.getSource().toUri())))
                        + ":[" + problem.getLineNumber() + "," + problem.getColumnNumber() + "] "
                        + problem.getMessage(Locale.ROOT).lines().findFirst().orElse(""))
                .distinct().sorted().toList();
    }

    /** The compiled classes are in the jar now; a watch compiles hundreds of times, so nothing is left behind. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    private static void writeJar(Path classes, Path output) throws IOException {
        try (OutputStream out = Files.newOutputStream(output); var jar = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }
}
