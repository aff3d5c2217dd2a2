package dev.ambassadorlab.labtests.grade;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A graded scenario: what it checks, in a few words for the scorecard, and whether the contract requires it. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Grade {
    /** What must happen, as the scorecard's "expected" column says it. */
    String expected();

    /** Optional parts of the contract (pass-through, a stale fallback, breaker gauges, a caller's deadline) are N/A when absent. */
    boolean required() default true;
}
