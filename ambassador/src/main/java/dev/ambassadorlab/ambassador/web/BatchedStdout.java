package dev.ambassadorlab.ambassador.web;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard output for the request log, written in batches. System.out makes a system call for each line, while
 * holding the lock every request thread queues for to print its own. Here lines collect in a buffer and go out in
 * one write when it fills, when no request is in flight ({@link RequestLog} flushes then, so a quiet ambassador logs
 * each line at once), and at the latest {@link #FLUSH_EVERY_MS} ms after they were printed. A line in the buffer is
 * lost only if the JVM is killed outright.
 */
public final class BatchedStdout {
    private static final int FLUSH_EVERY_MS = 200;
    private static final int BUFFER_BYTES = 32 * 1024;

    private BatchedStdout() {
    }

    public static PrintStream open() {
        var out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER_BYTES),
                false, StandardCharsets.UTF_8);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            var thread = new Thread(task, "request-log-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(out::flush, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
        // On a normal stop (SIGTERM from the kubelet or docker stop) the last lines go out too.
        Runtime.getRuntime().addShutdownHook(new Thread(out::flush, "request-log-final-flush"));
        return out;
    }
}
