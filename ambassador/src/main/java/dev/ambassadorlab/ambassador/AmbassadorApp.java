package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.images.CatImageService;
import dev.ambassadorlab.ambassador.images.ImageResult;
import dev.ambassadorlab.ambassador.images.ImageStore;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.request.BodyMemory;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.resilience.Backoff;
import dev.ambassadorlab.ambassador.resilience.CircuitBreakers;
import dev.ambassadorlab.ambassador.resilience.FailureTranslator;
import dev.ambassadorlab.ambassador.resilience.Hedges;
import dev.ambassadorlab.ambassador.resilience.Hedging;
import dev.ambassadorlab.ambassador.resilience.ResilientUpstream;
import dev.ambassadorlab.ambassador.resilience.RetryAfter;
import dev.ambassadorlab.ambassador.resilience.RetryBudget;
import dev.ambassadorlab.ambassador.resilience.RetryPolicies;
import dev.ambassadorlab.ambassador.resilience.StaleImageFallback;
import dev.ambassadorlab.ambassador.resilience.Timeouts;
import dev.ambassadorlab.ambassador.resilience.UpstreamBulkhead;
import dev.ambassadorlab.ambassador.security.ImageHostAllowlist;
import dev.ambassadorlab.ambassador.trace.TraceBuffer;
import dev.ambassadorlab.ambassador.upstream.SelfCallGuard;
import dev.ambassadorlab.ambassador.upstream.UpstreamClients;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import dev.ambassadorlab.ambassador.web.BatchedStdout;
import dev.ambassadorlab.ambassador.web.CallerHeaders;
import dev.ambassadorlab.ambassador.web.CallerRetries;
import dev.ambassadorlab.ambassador.web.DirectBody;
import dev.ambassadorlab.ambassador.web.ErrorResponses;
import dev.ambassadorlab.ambassador.web.PassthroughRoute;
import dev.ambassadorlab.ambassador.web.RequestEndings;
import dev.ambassadorlab.ambassador.web.RequestLog;
import dev.ambassadorlab.ambassador.web.RequestStart;
import dev.ambassadorlab.ambassador.web.TraceRoutes;
import dev.ambassadorlab.edge.ServerConnections;
import dev.ambassadorlab.edge.ServerThreads;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.EndpointNotFound;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the ambassador: its parts, wired from one config, and its two Javalin apps (the proxy and the admin
 * endpoints), each with every route in one block.
 *
 * <p>One request meets the policies in this order, outermost first (the same picture is in the README, "What happens
 * on one request"). Bulkhead and fallback are put together here; {@link ResilientUpstream} nests the rest around each
 * upstream call, the search and then the download, which share one deadline.
 * <pre>
 * GET /images/latest
 *  +- bulkhead            UpstreamBulkhead (09)    a permit, or 503 overloaded after BULKHEAD_MAX_WAIT_MS
 *     +- fallback         StaleImageFallback (08)  a 503 or 504 from below: the last good image, marked stale
 *        +- deadline      Timeouts (03)            what is left of REQUEST_DEADLINE_MS, counted from arrival; then 504,
 *           |                                      at once if the wait before a retry would reach it
 *           +- retry      RetryPolicies (02)       up to RETRY_MAX_RETRIES, waiting Backoff's time or the upstream's
 *              |                                   Retry-After (06); each retry paid from the RetryBudget (06)
 *              +- circuit breaker   CircuitBreakers (04)   one per upstream; while open, 503 circuit_open, no call
 *                 +- attempt timeout   Timeouts (03)       ATTEMPT_TIMEOUT_MS or the deadline, the shorter; then the
 *                    |                                     call is cancelled (OkHttp's call timeout)
 *                    +- the HTTP call  OkHttp, with the API key (07)
 * </pre>
 */
public final class AmbassadorApp {
    private static final List<HandlerType> PASSTHROUGH_METHODS = List.of(
            HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private AmbassadorApp() {
    }

    public static Ambassador create(AmbassadorConfig config) {
        return create(config, new PrometheusRegistry(), BatchedStdout.open());
    }

    public static Ambassador create(AmbassadorConfig config, PrometheusRegistry registry, PrintStream accessLog) {
        var metrics = new AmbassadorMetrics(registry);
        var retryAfter = new RetryAfter(config.retryAfterMax(), Clock.systemUTC());
        var budget = new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinPerSecond(),
                config.retryBudgetWindow(), System::nanoTime);
        metrics.watchRetryBudget(budget::remaining);
        var backoff = new Backoff(config.retryBaseDelay(), config.retryMaxDelay(), retryAfter,
                () -> ThreadLocalRandom.current().nextDouble());
        var timeouts = new Timeouts(config.attemptTimeout(), config.requestDeadline());
        var retries = new RetryPolicies(retryAfter, budget, metrics);
        var breakers = new CircuitBreakers(config.breakerFailureThreshold(), config.breakerOpenDuration(), metrics);
        var selfCallGuard = new SelfCallGuard();
        var clients = new UpstreamClients(config, selfCallGuard);
        var hedges = new Hedges(new Hedging(config.hedgeRequests(), config.hedgeDelay(), budget), registry);
        var upstream = new ResilientUpstream(clients, timeouts, backoff, retries,
                budget, breakers, new FailureTranslator(retryAfter, metrics), metrics, hedges);
        var store = new ImageStore(config.imagesDir());
        var images = new CatImageService(upstream, config.catApiUrl(), new ImageHostAllowlist(config.imageOrigins()),
                config.apiKey(), store, config.imageMaxBytes(), metrics);
        var fallback = new StaleImageFallback(config.fallbackEnabled(), metrics);
        var bulkhead = new UpstreamBulkhead(config.bulkheadMaxConcurrent(), config.bulkheadMaxWait(), metrics);
        var passthrough = new PassthroughRoute(upstream, config.catApiUrl(), config.apiKey(), config.answerMaxBytes());
        var endings = new RequestEndings(registry, new TraceBuffer(config.traceBufferSize()));
        var requestLog = new RequestLog(metrics, accessLog, config.apiKey(), endings);
        var traceRoutes = new TraceRoutes(endings.traces());
        var bodyMemory = new BodyMemory(config.bodyMemoryMaxBytes());
        var errors = new ErrorResponses(config.apiKey());
        var callerRetries = new CallerRetries(registry);

        Javalin proxy = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.threadPool = ServerThreads.pool("ambassador-proxy", config.serverMaxThreads());
            ServerConnections.limit(javalin.jetty);
            javalin.http.compressionStrategy = NoCompression.strategy();
            javalin.requestLogger.http(requestLog::finished);

            javalin.routes.before(ctx -> {
                String requestId = CallerHeaders.requestId(ctx);
                ctx.attribute(CallerHeaders.REQUEST_ID, requestId);
                ctx.header(CallerHeaders.REQUEST_ID, requestId);
                callerRetries.count(ctx.header(CallerRetries.HEADER));
            });
            javalin.routes.get("/images/latest", ctx -> {
                RequestContext caller = begin(ctx, config, requestLog, bodyMemory);
                try {
                    ImageResult image = bulkhead.run(
                            () -> fallback.fetch(() -> images.fetchLatest(caller), caller.acceptsStale()));
                    if (image.stale()) {
                        caller.markServedStale();
                        ctx.header(CallerHeaders.STALE, "true");
                    }
                    DirectBody.sendJson(ctx, image);
                } finally {
                    caller.releaseAllBodyBytes();
                }
            });
            for (HandlerType method : PASSTHROUGH_METHODS) {
                javalin.routes.addHttpHandler(method, "/v1/*", ctx -> {
                    RequestContext caller = begin(ctx, config, requestLog, bodyMemory);
                    try {
                        UpstreamResponse answer = passthrough.forward(ctx, caller, bulkhead);
                        // Written after the permit is back: a caller slow to read holds no permit, only its answer.
                        passthrough.relay(ctx, answer);
                    } finally {
                        caller.releaseAllBodyBytes();
                    }
                });
            }
            errorsAsJson(javalin, errors, "the ambassador serves GET /images/latest and /v1/... here; /metrics and /health/* "
                    + "are on its admin port");
        });

        var readiness = new Readiness(store, config.imageMaxBytes());
        Javalin admin = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.threadPool = ServerThreads.pool("ambassador-admin", ServerThreads.ADMIN_MAX_THREADS);
            ServerConnections.limit(javalin.jetty);
            javalin.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
            javalin.routes.get("/health", AmbassadorApp::live);
            javalin.routes.get("/health/live", AmbassadorApp::live);
            javalin.routes.get("/health/ready", ctx -> ready(ctx, readiness));
            traceRoutes.addTo(javalin);
            errorsAsJson(javalin, errors, "the admin port serves GET /metrics, GET /health/live, GET /health/ready, "
                    + "GET /debug/requests and GET /debug/requests/stream; /images/latest and /v1/... are on the proxy port");
        });
        return new Ambassador(config, proxy, admin, selfCallGuard, readiness, clients);
    }

    private static void errorsAsJson(io.javalin.config.JavalinConfig javalin, ErrorResponses errors, String routes) {
        javalin.routes.exception(AmbassadorException.class, errors::write);
        javalin.routes.exception(Exception.class, errors::unexpected);
        javalin.routes.exception(EndpointNotFound.class, (notFound, ctx) -> ErrorResponses.notFound(ctx, routes));
    }

    private static RequestContext begin(Context ctx, AmbassadorConfig config, RequestLog requestLog,
                                        BodyMemory bodyMemory) {
        requestLog.started(ctx);
        return RequestStart.begin(ctx, config.requestDeadline(), config.maxRetries(), bodyMemory,
                config.traceBufferSize() > 0);
    }

    /** Liveness: the process serves HTTP. It never depends on the upstream, or an outage would restart the pod. */
    private static void live(Context ctx) {
        constantJson(ctx, "{\"status\":\"up\"}");
    }

    /**
     * A fixed answer, written as is: the probes answer before the JSON mapper is first needed, so that readiness does
     * not wait for it to load.
     */
    private static void constantJson(Context ctx, String json) {
        ctx.contentType(ContentType.APPLICATION_JSON).result(json);
    }

    private static void ready(Context ctx, Readiness readiness) {
        String problem = readiness.whyNot();
        if (problem == null) {
            constantJson(ctx, "{\"status\":\"ready\"}");
        } else {
            Map<String, String> body = new LinkedHashMap<>(); // fields in a fixed order, unlike Map.of's
            body.put("status", "not_ready");
            body.put("reason", problem);
            ctx.status(503).json(body);
        }
    }
}
