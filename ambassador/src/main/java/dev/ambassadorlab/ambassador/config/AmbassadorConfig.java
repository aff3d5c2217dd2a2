package dev.ambassadorlab.ambassador.config;

import dev.ambassadorlab.ambassador.security.ApiKey;
import dev.ambassadorlab.ambassador.security.Origin;
import okhttp3.HttpUrl;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the ambassador, read once from environment variables. The defaults all live in {@link #fromEnv};
 * the configuration table in docs/configuration.md lists the same names, defaults and ranges.
 */
public record AmbassadorConfig(
        int port,
        InetAddress bindAddress,
        int adminPort,
        InetAddress adminBindAddress,
        HttpUrl catApiUrl,
        ApiKey apiKey,
        Path imagesDir,
        List<Origin> imageOrigins,
        long imageMaxBytes,
        long answerMaxBytes,
        long bodyMemoryMaxBytes,
        Duration connectTimeout,
        Duration attemptTimeout,
        Duration requestDeadline,
        int maxRetries,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration retryAfterMax,
        double retryBudgetRatio,
        int retryBudgetMinPerSecond,
        Duration retryBudgetWindow,
        int breakerFailureThreshold,
        Duration breakerOpenDuration,
        int bulkheadMaxConcurrent,
        Duration bulkheadMaxWait,
        int serverMaxThreads,
        boolean fallbackEnabled,
        boolean hedgeRequests,
        Duration hedgeDelay,
        int traceBufferSize) {

    /** The Cat API's image CDN: where its search answers point. */
    public static final String CAT_API_CDN_HOST = "cdn2.thecatapi.com";

    public static AmbassadorConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        HttpUrl catApiUrl = catApiUrl(env);
        var config = new AmbassadorConfig(
                env.wholeNumber("AMBASSADOR_PORT", 5001, 0, 65535),
                // The proxy adds the API key to what it sends: only the pod (the app on localhost) may reach it.
                env.ipAddress("AMBASSADOR_BIND", "127.0.0.1"),
                env.wholeNumber("ADMIN_PORT", 9901, 0, 65535),
                // Metrics and health carry no key: Prometheus and the kubelet reach them from outside the pod.
                env.ipAddress("ADMIN_BIND", "0.0.0.0"),
                catApiUrl,
                apiKey(env),
                env.path("IMAGES_DIR", "images"),
                imageOrigins(env, catApiUrl),
                env.longNumber("IMAGE_MAX_BYTES", 5L * 1024 * 1024, 1024, 100L * 1024 * 1024),
                env.longNumber("ANSWER_MAX_BYTES", 1024 * 1024, 1024, 16L * 1024 * 1024),
                // A quarter of the 64 MB heap (jvm.options): what callers' bodies and answers may hold together.
                env.longNumber("BODY_MEMORY_MAX_BYTES", 16L * 1024 * 1024, 64 * 1024, 1024L * 1024 * 1024),
                env.millis("CONNECT_TIMEOUT_MS", 1_000, 10, 60_000),
                env.millis("ATTEMPT_TIMEOUT_MS", 2_000, 10, 120_000),
                env.millis("REQUEST_DEADLINE_MS", 6_000, 10, 300_000),
                env.wholeNumber("RETRY_MAX_RETRIES", 2, 0, 10),
                env.millis("RETRY_BASE_DELAY_MS", 100, 1, 60_000),
                env.millis("RETRY_MAX_DELAY_MS", 2_000, 1, 60_000),
                env.millis("RETRY_AFTER_MAX_MS", 5_000, 0, 300_000),
                env.fraction("RETRY_BUDGET_RATIO", 0.2, 0.0, 10.0),
                env.wholeNumber("RETRY_BUDGET_MIN_PER_SECOND", 1, 0, 10_000),
                env.millis("RETRY_BUDGET_WINDOW_MS", 10_000, 1_000, 600_000),
                env.wholeNumber("BREAKER_FAILURE_THRESHOLD", 5, 1, 1_000),
                env.millis("BREAKER_OPEN_MS", 10_000, 10, 600_000),
                env.wholeNumber("BULKHEAD_MAX_CONCURRENT", 16, 1, 10_000),
                env.millis("BULKHEAD_MAX_WAIT_MS", 500, 0, 60_000),
                env.wholeNumber("SERVER_MAX_THREADS", 32, 4, 10_000),
                env.flag("FALLBACK_ENABLED", true),
                // Off unless asked for, as in Envoy: a hedge is a second request to the upstream.
                env.flag("HEDGE_REQUESTS", false),
                hedgeDelay(env),
                // About 1 KB a trace: the latest 200 take a few hundred KB of the 64 MB heap.
                env.wholeNumber("TRACE_BUFFER_SIZE", 200, 0, 10_000));
        if (config.retryBaseDelay.compareTo(config.retryMaxDelay) > 0) {
            env.problem("RETRY_BASE_DELAY_MS (" + config.retryBaseDelay.toMillis() + ") is larger than RETRY_MAX_DELAY_MS ("
                    + config.retryMaxDelay.toMillis() + "): the first backoff cannot exceed the cap; raise the cap or lower the base");
        }
        if (config.attemptTimeout.compareTo(config.requestDeadline) > 0) {
            env.problem("ATTEMPT_TIMEOUT_MS (" + config.attemptTimeout.toMillis() + ") is longer than REQUEST_DEADLINE_MS ("
                    + config.requestDeadline.toMillis() + "): one attempt must fit inside the overall deadline");
        }
        if (config.bodyMemoryMaxBytes < 2 * config.answerMaxBytes) {
            env.problem("BODY_MEMORY_MAX_BYTES (" + config.bodyMemoryMaxBytes + ") is less than twice ANSWER_MAX_BYTES ("
                    + config.answerMaxBytes + "): a request of the largest size and its answer must fit in it together; "
                    + "raise BODY_MEMORY_MAX_BYTES or lower ANSWER_MAX_BYTES");
        }
        if (config.serverMaxThreads < config.bulkheadMaxConcurrent) {
            env.problem("SERVER_MAX_THREADS (" + config.serverMaxThreads + ") is lower than BULKHEAD_MAX_CONCURRENT ("
                    + config.bulkheadMaxConcurrent + "): every request at work upstream needs a server thread; raise "
                    + "SERVER_MAX_THREADS to at least that");
        }
        if (config.port != 0 && config.port == config.adminPort) {
            env.problem("AMBASSADOR_PORT and ADMIN_PORT are both " + config.port + ": the proxy and the admin endpoints "
                    + "need a port each");
        }
        env.finish("ambassador");
        return config;
    }

    /** HEDGE_DELAY_MS: whole milliseconds, or "auto" (the default) for the p95 of recent attempts: null. */
    private static Duration hedgeDelay(EnvReader env) {
        String value = env.raw("HEDGE_DELAY_MS");
        if (value == null || value.equals("auto")) return null;
        if (value.matches("[0-9]{1,5}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 60_000) {
            return Duration.ofMillis(Integer.parseInt(value));
        }
        env.reject("HEDGE_DELAY_MS", value, "auto, or a whole number of milliseconds from 1 to 60000", "auto");
        return null;
    }

    /**
     * Reads {@code CAT_API_KEY}, or {@code CAT_API_KEY_FILE} for a mounted secret. Problems go to the reader without the
     * key itself: an error message must never carry it.
     */
    private static ApiKey apiKey(EnvReader env) {
        String inline = env.raw("CAT_API_KEY");
        String file = env.raw("CAT_API_KEY_FILE");
        if (inline != null && file != null) {
            env.problem("CAT_API_KEY and CAT_API_KEY_FILE are both set: keep one (the file is meant for a mounted secret)");
            return ApiKey.none();
        }
        String key = inline;
        if (file != null) {
            try {
                key = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException unreadable) {
                env.problem("CAT_API_KEY_FILE=\"" + file + "\" cannot be read (" + unreadable.getClass().getSimpleName()
                        + "): mount the secret at that path or unset the variable");
                return ApiKey.none();
            }
            if (key.isEmpty()) {
                env.problem("CAT_API_KEY_FILE=\"" + file + "\" is empty: put the key in the file or unset the variable");
                return ApiKey.none();
            }
        }
        if (key == null) return ApiKey.none();
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            env.problem((file == null ? "CAT_API_KEY" : "CAT_API_KEY_FILE")
                    + " holds a key with spaces, line breaks or non-ASCII characters: an HTTP header cannot carry it");
            return ApiKey.none();
        }
        return ApiKey.of(key);
    }

    /**
     * CAT_API_URL, parsed once by OkHttp, which sends every request built from it: an absolute http or https URL
     * without user info (the value is printed and logged; a credential belongs in CAT_API_KEY), query or fragment.
     */
    private static HttpUrl catApiUrl(EnvReader env) {
        HttpUrl fallback = HttpUrl.get("https://api.thecatapi.com");
        String text = env.raw("CAT_API_URL");
        if (text == null) return fallback;
        HttpUrl url = HttpUrl.parse(text);
        if (url != null && (!url.username().isEmpty() || !url.password().isEmpty())) {
            // The password is not repeated: the problem is printed.
            env.reject("CAT_API_URL", url.redact(), "a URL without user info: the ambassador never sends it, and a "
                    + "credential belongs in CAT_API_KEY or CAT_API_KEY_FILE", fallback.toString());
            return fallback;
        }
        if (url == null || url.query() != null || url.fragment() != null) {
            env.reject("CAT_API_URL", text, "an absolute http:// or https:// URL without query or fragment, such as "
                    + fallback, fallback.toString());
            return fallback;
        }
        return url;
    }

    /**
     * Where images may be downloaded from: the origin of CAT_API_URL always, then each IMAGE_HOSTS entry (an origin,
     * or a bare host meaning https on 443).
     */
    private static List<Origin> imageOrigins(EnvReader env, HttpUrl catApiUrl) {
        List<Origin> origins = new ArrayList<>();
        origins.add(Origin.of(catApiUrl));
        List<String> entries = env.list("IMAGE_HOSTS", List.of(CAT_API_CDN_HOST));
        if (entries.isEmpty()) {
            env.problem("IMAGE_HOSTS is empty: list at least one origin images may be downloaded from, such as https://"
                    + CAT_API_CDN_HOST + ", or unset it for the default");
        }
        for (String entry : entries) {
            try {
                origins.add(Origin.parse(entry));
            } catch (IllegalArgumentException notAnOrigin) {
                env.reject("IMAGE_HOSTS", entry, "origins such as https://" + CAT_API_CDN_HOST + " or http://mock:8080 ("
                        + notAnOrigin.getMessage() + ")", null);
            }
        }
        return List.copyOf(origins);
    }

    /** The configuration with no environment variables set: every default. */
    public static AmbassadorConfig defaults() {
        return fromEnv(Map.of());
    }
}
