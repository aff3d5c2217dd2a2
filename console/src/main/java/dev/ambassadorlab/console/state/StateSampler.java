package dev.ambassadorlab.console.state;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads the ambassador's /metrics once a second and keeps five minutes of {@link StatePoint}s. Rates and quantiles
 * cover the last five seconds: steady enough to read on a projector, quick enough to follow a fault.
 */
public final class StateSampler implements AutoCloseable {
    private static final int POINTS_KEPT = 300;
    private static final long RATE_WINDOW_MS = 5_000;
    /** The ambassador's page is a few KB; one far larger is not its page, and is not read. */
    static final long MAX_METRICS_BYTES = 4L * 1024 * 1024;
    private final HttpUrl metrics;
    private final OkHttpClient http;
    private final LongSupplier clockMs;
    private final Deque<Reading> recent = new ArrayDeque<>();
    private final Deque<StatePoint> points = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "state-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private record Reading(long timeMs, Scrape scrape) {
    }

    public StateSampler(HttpUrl ambassadorAdmin, OkHttpClient http, LongSupplier clockMs) {
        this.metrics = ambassadorAdmin.newBuilder().encodedPath("/metrics").build();
        this.http = http;
        this.clockMs = clockMs;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /**
     * Takes one reading now. It never throws: the timer would stop for good (scheduleWithFixedDelay), and the page
     * with it; a reading that cannot be made counts as the ambassador not answering.
     */
    public void sample() {
        long now = clockMs.getAsLong();
        Scrape scrape = scrape();
        try {
            record(now, scrape);
        } catch (RuntimeException unreadable) {
            record(now, null);
        }
    }

    private synchronized void record(long now, Scrape scrape) {
        StatePoint point;
        if (scrape == null) {
            recent.clear();
            point = StatePoint.down(now);
        } else {
            recent.addLast(new Reading(now, scrape));
            while (recent.size() > 2 && recent.peekFirst().timeMs() < now - RATE_WINDOW_MS) recent.removeFirst();
            Reading first = recent.peekFirst();
            point = PodReading.between(first.timeMs(), first.scrape(), now, scrape);
        }
        if (points.size() == POINTS_KEPT) points.removeFirst();
        points.addLast(point);
    }

    private Scrape scrape() {
        try (Response response = http.newCall(new Request.Builder().url(metrics).build()).execute()) {
            if (!response.isSuccessful() || response.body().source().request(MAX_METRICS_BYTES + 1)) return null;
            return Scrape.parse(response.body().string());
        } catch (IOException | RuntimeException notUp) {
            return null;
        }
    }

    public synchronized StatePoint latest() {
        return points.isEmpty() ? StatePoint.down(clockMs.getAsLong()) : points.peekLast();
    }

    public synchronized List<StatePoint> history() {
        return new ArrayList<>(points);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
