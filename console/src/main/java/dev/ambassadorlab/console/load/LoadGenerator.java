package dev.ambassadorlab.console.load;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls the app's {@code GET /images/latest} at a fixed rate (open loop: a request is sent on time whether or not
 * earlier ones have been answered, as real callers do), for a bounded time. At most {@value #MAX_IN_FLIGHT} wait for
 * answers at once; a send due while that many wait is skipped and counted.
 */
public final class LoadGenerator implements AutoCloseable {
    static final int MAX_IN_FLIGHT = 200;
    private final HttpUrl target;
    private final OkHttpClient http;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "load");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sending;
    private int rate;
    private long endsAtNanos;

    /** How the load stands: answered_by_status counts answers by status, and "error" for no answer. */
    public record Status(int rate, long secondsLeft, long sent, Map<String, Long> answeredByStatus) {
    }

    public LoadGenerator(HttpUrl appUrl, OkHttpClient http) {
        this.target = appUrl.newBuilder().encodedPath("/images/latest").build();
        var dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_IN_FLIGHT);
        dispatcher.setMaxRequestsPerHost(MAX_IN_FLIGHT);
        this.http = http.newBuilder().dispatcher(dispatcher).build();
    }

    /** Replaces the running load with this one; rate 0 stops it. The counts start again from zero. */
    public synchronized Status start(LoadRequest load) {
        stop();
        sent.set(0);
        answered.clear();
        if (load.rate() > 0) {
            rate = load.rate();
            endsAtNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(load.seconds());
            sending = timer.scheduleAtFixedRate(this::sendOne, 0, 1_000_000_000L / load.rate(), TimeUnit.NANOSECONDS);
        }
        return status();
    }

    public synchronized Status status() {
        long left = sending == null ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toSeconds(endsAtNanos - System.nanoTime() + 999_999_999L));
        Map<String, Long> counts = new TreeMap<>();
        answered.forEach((status, count) -> counts.put(status, count.sum()));
        return new Status(sending == null ? 0 : rate, left, sent.get(), counts);
    }

    private void sendOne() {
        if (System.nanoTime() >= endsAtNanos) {
            stop();
            return;
        }
        if (!inFlight.tryAcquire()) {
            count("skipped_max_in_flight");
            return;
        }
        sent.incrementAndGet();
        http.newCall(new Request.Builder().url(target).build()).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    count(String.valueOf(response.code()));
                } finally {
                    inFlight.release();
                }
            }

            @Override
            public void onFailure(Call call, IOException noAnswer) {
                count("error");
                inFlight.release();
            }
        });
    }

    private void count(String status) {
        answered.computeIfAbsent(status, key -> new LongAdder()).increment();
    }

    private synchronized void stop() {
        if (sending != null) sending.cancel(false);
        sending = null;
        rate = 0;
    }

    @Override
    public void close() {
        stop();
        timer.shutdownNow();
        http.dispatcher().cancelAll();
    }
}
