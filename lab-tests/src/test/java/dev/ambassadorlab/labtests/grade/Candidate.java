package dev.ambassadorlab.labtests.grade;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ambassador being graded: any image that follows the contract (one port, CAT_API_URL, IMAGES_DIR,
 * GET /images/latest, Prometheus text at /metrics). Read from system properties, which `./lab grade` sets:
 * lab.ambassador.image, lab.ambassador.port (5001), lab.ambassador.metrics-port (the same port) and
 * lab.ambassador.env ("K=V|K=V").
 */
record Candidate(String image, int port, int metricsPort, Map<String, String> env) {
    static final String IMAGE = "lab.ambassador.image";

    static Candidate fromProperties() {
        String image = System.getProperty(IMAGE, "").trim();
        if (image.isEmpty()) {
            throw new IllegalStateException("Which ambassador? Run ./lab grade IMAGE, or set -D" + IMAGE + "=IMAGE");
        }
        int port = Integer.getInteger("lab.ambassador.port", 5001);
        int metricsPort = Integer.getInteger("lab.ambassador.metrics-port", port);
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : System.getProperty("lab.ambassador.env", "").split("\\|")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalStateException("lab.ambassador.env: \"" + pair + "\" is not NAME=VALUE");
            env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return new Candidate(image, port, metricsPort, env);
    }
}
