package dev.ambassadorlab.labtests.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** Many callers at the same moment: each on its own thread, all released by one latch. */
public final class Callers {
    private Callers() {
    }

    public static List<Answer> atOnce(int callers, Supplier<Answer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return call.get();
                }));
            }
            go.countDown();
            List<Answer> done = new ArrayList<>();
            for (Future<Answer> answer : answers) done.add(answer.get());
            return done;
        } finally {
            pool.shutdownNow();
        }
    }
}
