package relutornado.engine.tornado;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonStreamParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import relutornado.engine.KernelCall;

/**
 * TornadoVM's profiler log (silent mode): one JSON object per execution, appended to a log per graph, shaped
 * <pre>
 *   {"graph": {"TOTAL_TIME": "ns", ..., "graph.task": {"METHOD": "Class.method", ..., "TASK_KERNEL_TIME": "ns"}, ...}}
 * </pre>
 * with every value a string. Read with Gson; a task is an entry whose value is an object with a {@code METHOD}.
 * TornadoVM 5.2 ends the object it logs for {@code TornadoExecutionResult.transferToHost} (the copy-out figures of
 * syncState) with a comma before its closing brace, which even Gson's lenient reader rejects: such commas are dropped.
 */
final class ProfileLog {
    private static final Pattern TRAILING_COMMA = Pattern.compile(",(\\s*})");

    private ProfileLog() {
    }

    /**
     * One task of one execution.
     *
     * @param key      the task's {@code graph.task} key
     * @param method   the method TornadoVM compiled for it, {@code DeclaringClass.method}
     * @param kernelNs its kernel time (0 when the log has none)
     */
    record TaskTime(String key, String method, long kernelNs) {
    }

    /** The tasks of every execution in {@code log}, in order. */
    static List<TaskTime> tasks(String log) {
        List<TaskTime> tasks = new ArrayList<>();
        try {
            JsonStreamParser executions = new JsonStreamParser(TRAILING_COMMA.matcher(log).replaceAll("$1"));
            while (executions.hasNext()) {
                for (Map.Entry<String, JsonElement> graph : executions.next().getAsJsonObject().entrySet()) {
                    for (Map.Entry<String, JsonElement> entry : graph.getValue().getAsJsonObject().entrySet()) {
                        if (entry.getValue() instanceof JsonObject task && task.has("METHOD")) {
                            JsonElement time = task.get("TASK_KERNEL_TIME");
                            tasks.add(new TaskTime(entry.getKey(), task.get("METHOD").getAsString(), time == null ? 0 : time.getAsLong()));
                        }
                    }
                }
            }
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalStateException("TornadoVM's profiler log is not the JSON this engine reads (" + e.getMessage() + "):\n" + log, e);
        }
        return tasks;
    }

    /**
     * TornadoVM finds a task's method by reading the bytecode of the lambda {@link Tasks} makes: the method it compiled
     * must be the call's kernel, or that contract changed under us.
     */
    static void checkMethod(TaskTime task, KernelCall call) {
        String expected = KernelCall.describe(call.method());
        if (!expected.equals(task.method())) {
            throw new IllegalStateException("TornadoVM ran " + task.method() + " for task " + task.key() + ", whose kernel is " + expected
                    + ": this TornadoVM resolves task lambdas differently from what Tasks relies on");
        }
    }
}
