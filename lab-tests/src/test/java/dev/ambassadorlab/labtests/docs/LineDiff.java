package dev.ambassadorlab.labtests.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff by longest common subsequence, enough for a starter and its solution: it keeps an n × m table, which is
 * nothing for files of a few hundred lines and saves the lab a dependency.
 */
final class LineDiff {
    /**
     * One line the solution does not share with the starter. {@code position} is a 0-based starter line: the line
     * removed, or for an added line the starter line it comes before ({@code starter.size()} at the end).
     * {@code solutionLine} is the 0-based line in the solution, or -1 for a removed line.
     */
    record Change(boolean added, int position, int solutionLine, String text) {
    }

    private LineDiff() {
    }

    static List<Change> between(List<String> starter, List<String> solution) {
        int n = starter.size(), m = solution.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = starter.get(i).equals(solution.get(j))
                        ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Change> changes = new ArrayList<>();
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && starter.get(i).equals(solution.get(j))) {
                i++;
                j++;
            } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
                changes.add(new Change(false, i, -1, starter.get(i)));
                i++;
            } else {
                changes.add(new Change(true, i, j, solution.get(j)));
                j++;
            }
        }
        return changes;
    }
}
