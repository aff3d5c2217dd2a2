package dev.ambassadorlab.labtests.warm;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.pod.LabPod;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./lab watch NN}: the exercise's check again each time one of its files is saved, in a lab that stays warm
 * (the mock Cat API, Toxiproxy and this JVM stay up; see {@link WarmCheck}). The screen shows what the check is doing
 * while it works, then the verdict with its time, the reason first when it is not yet passed. The same text goes to
 * .lab/logs/watch-NN.log.
 */
public final class WarmWatch {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** How often the files are looked at, and how long they must stay still (an editor saves in several writes). */
    private static final long POLL_MS = 100;
    private static final long STILL_MS = 200;
    private static final String CLEAR = "\033[2J\033[H";

    private final Exercise exercise;
    private final Path dir;
    private final Path log;
    private final PrintStream screen = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final StringBuilder shown = new StringBuilder();

    private WarmWatch(Exercise exercise) {
        this.exercise = exercise;
        this.dir = exercise.exerciseDir();
        this.log = LabPod.ROOT.resolve(".lab/logs/watch-" + exercise.number() + ".log");
    }

    public static void main(String[] args) throws InterruptedException {
        new WarmWatch(Exercise.byNumber(args[0])).run();
    }

    private void run() throws InterruptedException {
        long begin = System.nanoTime();
        start(exercise.number() + "  starting the warm lab for exercises/" + dir.getFileName()
                + ": the mock Cat API and Toxiproxy start once and stay up while you work");
        WarmCheck check = new WarmCheck();
        LabPod.get();
        String seen = "";
        boolean first = true;
        while (true) {
            String now = fingerprint();
            if (!now.equals(seen)) {
                Thread.sleep(STILL_MS);
                if (!fingerprint().equals(now)) continue;
                seen = now;
                long started = first ? begin : System.nanoTime();
                if (!first) start(exercise.number() + "  checking exercises/" + dir.getFileName() + " (started "
                        + LocalTime.now().format(CLOCK) + ")...");
                WarmCheck.Verdict verdict;
                try {
                    verdict = check.check(exercise, dir, step -> say(String.format("  %5.1f s  %s",
                            (System.nanoTime() - started) / 1e9, step)), false);
                } catch (RuntimeException broken) {
                    verdict = new WarmCheck.Verdict(false, "  " + exercise.number() + "  the check could not run: "
                            + broken + "\n  (the lab's own log: .lab/logs/warm-lab.log)\n", "", List.of());
                }
                show(verdict, (System.nanoTime() - started) / 1e9);
                first = false;
            }
            Thread.sleep(POLL_MS);
        }
    }

    private void show(WarmCheck.Verdict verdict, double seconds) {
        String result = verdict.passed() ? "PASSED" : "NOT YET";
        String next = mark(verdict.passed());
        StringBuilder text = new StringBuilder(String.format(
                "== %s %s  (checked at %s in %.1f s; saving a file in exercises/%s checks again; Ctrl-C quits)%n%n",
                exercise.number(), result, LocalTime.now().format(CLOCK), seconds, dir.getFileName()));
        if (!verdict.passed()) {
            String why = firstReason(verdict.report());
            if (!why.isEmpty()) text.append("Why, first:\n").append(why).append("\n").append("The whole check:\n");
        }
        text.append(verdict.report());
        if (verdict.passed()) {
            text.append('\n').append(exercise.number()).append(" is done; still watching it.")
                    .append(next.isEmpty() ? "" : " Next: ./lab watch " + next).append('\n');
        }
        synchronized (this) {
            shown.setLength(0);
            screen.print(CLEAR + text);
            write(text.toString());
        }
    }

    /** The first failed scenario and its worded message, or the first failed unit test: what to read first. */
    static String firstReason(String report) {
        List<String> lines = report.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FAILED  ")) {
                StringBuilder reason = new StringBuilder(lines.get(i)).append('\n');
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("        "); j++) {
                    reason.append(lines.get(j)).append('\n');
                }
                return reason.toString();
            }
        }
        return "";
    }

    private synchronized void start(String line) {
        shown.setLength(0);
        screen.print(CLEAR);
        say(line);
    }

    /** Called from the check's threads too (the service starts beside the unit tests): one line at a time. */
    private synchronized void say(String line) {
        shown.append(line).append('\n');
        screen.println(line);
        write(shown.toString());
    }

    /** The log file is replaced whole, so a reader never sees half a verdict. */
    private synchronized void write(String text) {
        try {
            Files.createDirectories(log.getParent());
            Path next = log.resolveSibling(log.getFileName() + ".next");
            Files.writeString(next, text);
            Files.move(next, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Records the verdict where ./lab status reads it (./lab mark), and returns the next exercise not yet done. */
    private String mark(boolean passed) {
        try {
            Process mark = new ProcessBuilder(LabPod.ROOT.resolve("lab").toString(), "mark", exercise.number(),
                    passed ? "passed" : "failed").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String next = new String(mark.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return mark.waitFor() == 0 ? next : "";
        } catch (IOException failed) {
            return "";
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The files' names, sizes and times of change, README and hints left out as ./lab check leaves them out. */
    private String fingerprint() {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !List.of("README.md", "HINTS.md").contains(file.getFileName().toString()))
                    .sorted().map(WarmWatch::stamp).collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException changing) {
            return "changing: " + changing.getMessage(); // a file went away while being looked at: look again
        }
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return file + " " + attributes.size() + " " + attributes.lastModifiedTime();
        } catch (IOException gone) {
            throw new UncheckedIOException(gone);
        }
    }
}
