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

    /**
     * @param serviceDir the service module (ambassador/ or app/), whose target/ holds its jar and libraries
     * @param output     the overlay jar to write
     * @throws AssertionError when the exercise does not compile, with the compiler's messages
     */
    public static Path compile(Path sourceDir, Path serviceDir, Path output) {
        String name = serviceDir.getFileName().toString();
        Path jar = serviceDir.resolve("target/" + name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -DskipTests package)");
        }
        try {
            Path classes = Files.createTempDirectory("overlay-classes");
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
                if (!ok) throw new AssertionError("Your code in " + LabPaths.relative(sourceDir) + " does not compile:\n"
                        + describe(diagnostics));
            }
            Files.createDirectories(output.getParent());
            writeJar(classes, output);
            return output;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> problem : diagnostics.getDiagnostics()) {
            if (problem.getKind() != Diagnostic.Kind.ERROR) continue;
            String file = problem.getSource() == null ? "?" : Path.of(problem.getSource().toUri()).getFileName().toString();
            text.append("  ").append(file).append(':').append(problem.getLineNumber()).append(": ")
                    .append(problem.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString();
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
