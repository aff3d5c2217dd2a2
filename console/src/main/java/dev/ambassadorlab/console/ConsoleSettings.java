package dev.ambassadorlab.console;

import okhttp3.HttpUrl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The console's settings, read from the environment with every default in one place. The defaults fit `./lab up`,
 * where the pod's ports are on localhost.
 *
 * @param toxiproxyProxy the Toxiproxy proxy between the ambassador and the Cat API, where the TCP faults go
 */
public record ConsoleSettings(int port, String bind, HttpUrl ambassadorAdminUrl, HttpUrl appUrl, HttpUrl toxiproxyUrl,
                              String toxiproxyProxy, HttpUrl wiremockUrl) {

    public static ConsoleSettings fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = port(env, problems);
        String bind = text(env, "CONSOLE_BIND", "127.0.0.1", "[0-9A-Za-z.:-]+", "an address such as 127.0.0.1 or 0.0.0.0",
                problems);
        HttpUrl ambassador = url(env, "AMBASSADOR_ADMIN_URL", "http://localhost:9901", problems);
        HttpUrl app = url(env, "APP_URL", "http://localhost:5000", problems);
        HttpUrl toxiproxy = url(env, "TOXIPROXY_URL", "http://localhost:8474", problems);
        String proxy = text(env, "TOXIPROXY_PROXY", "cat-api", "[A-Za-z0-9_.-]+", "a proxy name such as cat-api",
                problems);
        HttpUrl wiremock = url(env, "WIREMOCK_URL", "http://localhost:5002", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The lab console did not start: " + String.join("; ", problems));
        }
        return new ConsoleSettings(port, bind, ambassador, app, toxiproxy, proxy, wiremock);
    }

    private static int port(Map<String, String> env, List<String> problems) {
        String value = env.get("CONSOLE_PORT");
        if (value == null || value.isBlank()) return 5050;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0 && parsed <= 65535) return parsed;
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add("CONSOLE_PORT=\"" + value + "\" is not valid: expected a port from 0 to 65535 "
                + "(0 picks a free one; unset it to use the default, 5050)");
        return 5050;
    }

    private static String text(Map<String, String> env, String name, String fallback, String pattern, String expected,
                               List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return fallback;
        if (value.trim().matches(pattern)) return value.trim();
        problems.add(name + "=\"" + value + "\" is not valid: expected " + expected
                + " (unset it to use the default, " + fallback + ")");
        return fallback;
    }

    private static HttpUrl url(Map<String, String> env, String name, String fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return HttpUrl.get(fallback);
        HttpUrl parsed = HttpUrl.parse(value.trim());
        if (parsed != null && parsed.encodedPath().equals("/") && parsed.query() == null) return parsed;
        problems.add(name + "=\"" + value + "\" is not valid: expected an http:// URL with no path, such as " + fallback
                + " (unset it to use the default)");
        return HttpUrl.get(fallback);
    }
}
