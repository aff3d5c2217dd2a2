package dev.ambassadorlab.console.traces;

import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Follows the ambassador's live trace stream ({@code /debug/requests/stream}, Server-Sent Events), keeps each trace
 * and prints it as text. The ambassador may not be up yet, or restart under `./lab up NN`: the feed connects again
 * with a growing pause and never gives up.
 */
public final class TraceFeed implements AutoCloseable {
    /** A trace is about 1 KB; one far larger is not one the ambassador meant to send, and is skipped unread. */
    static final int MAX_TRACE_BYTES = 64 * 1024;
    /** What {@link #readLine} returns for a line longer than {@link #MAX_TRACE_BYTES}, after skipping it. */
    private static final String TOO_LONG = "\0too long";
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private final HttpUrl stream;
    private final OkHttpClient http;
    private final TraceBuffer buffer;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Call current;

    public TraceFeed(HttpUrl ambassadorAdmin, OkHttpClient http, TraceBuffer buffer, PrintStream out) {
        this.stream = ambassadorAdmin.newBuilder().encodedPath("/debug/requests/stream").build();
        // A stream is quiet between requests: no read timeout, and the call is cancelled by closing the feed.
        this.http = http.newBuilder().readTimeout(0, TimeUnit.MILLISECONDS).build();
        this.buffer = buffer;
        this.out = out;
        this.thread = new Thread(this::follow, "trace-feed");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean connected() {
        return connected;
    }

    private void follow() {
        Duration pause = FIRST_PAUSE;
        while (!closed) {
            Call call = http.newCall(new Request.Builder().url(stream).header("Accept", "text/event-stream").build());
            current = call;
            try (Response response = call.execute()) {
                if (response.isSuccessful()) {
                    connected = true;
                    pause = FIRST_PAUSE;
                    readEvents(response.body().source());
                }
            } catch (IOException | RuntimeException lost) {
                // not up yet, restarting, or a trace that did not parse: connect again after the pause
            }
            connected = false;
            if (!sleep(pause)) return;
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /** Server-Sent Events: "event:" and "data:" lines, an empty line ends each event. */
    private void readEvents(BufferedSource source) throws IOException {
        String event = "message";
        StringBuilder data = new StringBuilder();
        boolean tooLong = false;
        String line;
        while (!closed && (line = readLine(source)) != null) {
            if (line.isEmpty()) {
                if ("trace".equals(event) && tooLong) skipped("longer than " + MAX_TRACE_BYTES + " bytes");
                else if ("trace".equals(event) && !data.isEmpty()) received(data.toString());
                event = "message";
                data.setLength(0);
                tooLong = false;
            } else if (isTooLong(line) || data.length() + line.length() > MAX_TRACE_BYTES) {
                tooLong = true;
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) data.append('\n');
                data.append(line.substring(5).stripLeading());
            }
        }
    }

    /**
     * The next line, or null at the end of the stream. A line longer than {@link #MAX_TRACE_BYTES} is skipped to its
     * end without being held in memory, and read as {@link #TOO_LONG}.
     */
    static String readLine(BufferedSource source) throws IOException {
        if (source.indexOf((byte) '\n', 0, MAX_TRACE_BYTES + 1) >= 0 || !source.request(MAX_TRACE_BYTES + 1)) {
            return source.readUtf8Line();
        }
        while (true) {
            long newline = source.indexOf((byte) '\n', 0, MAX_TRACE_BYTES);
            if (newline >= 0) {
                source.skip(newline + 1);
                return TOO_LONG;
            }
            source.skip(Math.min(source.getBuffer().size(), MAX_TRACE_BYTES));
            if (!source.request(1)) return null;
        }
    }

    /** The marker itself, not a line that happens to read the same. */
    @SuppressWarnings("StringEquality")
    private static boolean isTooLong(String line) {
        return line == TOO_LONG;
    }

    private void received(String json) {
        Trace.Received trace;
        try {
            trace = Trace.read(json);
        } catch (IllegalArgumentException notATrace) {
            skipped(notATrace.getMessage());
            return;
        }
        buffer.add(trace.json());
        out.println(TraceText.format(trace.trace()));
    }

    /** Says in the log view that a trace was left out, and why, so a missing request is not a mystery. */
    private void skipped(String why) {
        String reason = why.length() <= 200 ? why : why.substring(0, 200) + "...";
        out.println("(a trace from the ambassador was skipped: " + reason.replaceAll("\\s+", " ") + ")");
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Call call = current;
        if (call != null) call.cancel();
    }
}
