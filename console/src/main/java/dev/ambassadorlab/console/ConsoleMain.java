package dev.ambassadorlab.console;

/** Reads the settings from the environment and starts the console; nothing else. */
public final class ConsoleMain {
    private ConsoleMain() {
    }

    public static void main(String[] args) {
        ConsoleSettings settings;
        try {
            settings = ConsoleSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException invalid) {
            System.err.println(invalid.getMessage());
            System.exit(2);
            return;
        }
        Console console = Console.start(settings, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(console::close, "console-shutdown"));
        System.out.println("Lab console on http://localhost:" + console.port());
    }
}
