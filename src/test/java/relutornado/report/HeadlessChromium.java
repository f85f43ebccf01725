package relutornado.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's chromium, headless, driven over the Chrome DevTools protocol (a WebSocket on --remote-debugging-port,
 * Java's own HTTP client): loads a page, collects console errors, exceptions, failed loads and network requests,
 * checks images and layout, and takes a full-page screenshot.
 */
final class HeadlessChromium implements AutoCloseable {

    /** What loading a page showed. */
    record PageCheck(List<String> problems, byte[] screenshot, double pageHeight) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    /** The browser binary: $CHROMIUM, else chromium or chromium-browser on PATH; null when there is none. */
    static Path find() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    HeadlessChromium(Path binary, int width, int height) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("relu-tornado-chromium");
        process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> wsUrl = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    stderr.add(line);
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on") && at >= 0) {
                        wsUrl.complete(line.substring(at).trim());
                    }
                }
            } catch (IOException e) {
                wsUrl.completeExceptionally(e);
            }
            wsUrl.completeExceptionally(new IOException("chromium exited before it listened: " + String.join("\n", stderr)));
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        String browserWs;
        try {
            browserWs = wsUrl.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("chromium did not start: " + e.getMessage() + "\n" + String.join("\n", stderr), e);
        }
        // the page target of about:blank, from the HTTP endpoint beside the browser's socket
        URI base = URI.create(browserWs.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", ""));
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        String pageWs = null;
        for (int attempt = 0; attempt < 50 && pageWs == null; attempt++) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/json/list")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonElement t : JsonParser.parseString(list.body()).getAsJsonArray()) {
                JsonObject o = t.getAsJsonObject();
                if (o.get("type").getAsString().equals("page") && o.has("webSocketDebuggerUrl")) {
                    pageWs = o.get("webSocketDebuggerUrl").getAsString();
                }
            }
            if (pageWs == null) {
                Thread.sleep(100);
            }
        }
        if (pageWs == null) {
            close();
            throw new IOException("chromium shows no page target");
        }
        socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(pageWs), new Listener()).join();
    }

    /** Accumulates a message's fragments; answers complete their command, the rest are events. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                if (msg.has("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else {
                    events.add(msg);
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends one command and waits for its result; a protocol error is an exception. */
    JsonObject send(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params == null ? new JsonObject() : params);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(msg.toString(), true).join();
        JsonObject reply;
        try {
            reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("chromium did not answer " + method + ": " + e, e);
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.getAsJsonObject("result");
    }

    /** The JSON value of a JavaScript expression in the page. */
    JsonElement evaluate(String expression) {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        JsonObject r = send("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
        }
        return r.getAsJsonObject("result").get("value");
    }

    /**
     * Loads a page and lists what is wrong with it: console errors and warnings of level error, uncaught
     * exceptions, failed loads, requests that leave the machine (anything but file: and data:), images that did
     * not decode, and a page that did not lay out (a section or figure without size, content wider than the window).
     */
    PageCheck check(Path page) throws InterruptedException {
        events.clear();
        send("Runtime.enable", null);
        send("Log.enable", null);
        send("Network.enable", null);
        send("Page.enable", null);
        JsonObject nav = new JsonObject();
        nav.addProperty("url", page.toUri().toString());
        JsonObject navigated = send("Page.navigate", nav);
        List<String> problems = new ArrayList<>();
        if (navigated.has("errorText")) {
            problems.add("navigation failed: " + navigated.get("errorText").getAsString());
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events.stream().noneMatch(e -> e.get("method").getAsString().equals("Page.loadEventFired"))) {
            if (System.nanoTime() > deadline) {
                problems.add("the page did not finish loading in " + TIMEOUT.toSeconds() + " s");
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(300); // late console messages
        for (JsonObject e : events) {
            String method = e.get("method").getAsString();
            JsonObject p = e.getAsJsonObject("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    String type = p.get("type").getAsString();
                    if (type.equals("error") || type.equals("assert")) {
                        problems.add("console." + type + ": " + p.getAsJsonArray("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> problems.add("uncaught exception: " + p.getAsJsonObject("exceptionDetails").get("text")
                        + " " + p.getAsJsonObject("exceptionDetails").get("exception"));
                case "Log.entryAdded" -> {
                    JsonObject entry = p.getAsJsonObject("entry");
                    if (entry.get("level").getAsString().equals("error")) {
                        problems.add("console error: " + entry.get("text").getAsString()
                                + (entry.has("url") ? " (" + entry.get("url").getAsString() + ")" : ""));
                    }
                }
                case "Network.requestWillBeSent" -> {
                    String url = p.getAsJsonObject("request").get("url").getAsString();
                    if (!url.startsWith("file:") && !url.startsWith("data:")) {
                        problems.add("network request: " + url);
                    }
                }
                case "Network.loadingFailed" -> problems.add("load failed: " + p.get("errorText").getAsString());
                default -> {
                }
            }
        }
        JsonArray broken = evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                + ".map(i => (i.alt || '') + ' ' + i.src.slice(0, 80))").getAsJsonArray();
        broken.forEach(b -> problems.add("broken image: " + b.getAsString()));
        JsonArray unlaid = evaluate("Array.from(document.querySelectorAll('section, figure img, table')).filter(el => {"
                + " const r = el.getBoundingClientRect(); return r.width < 100 || r.height < 10; })"
                + ".map(el => el.tagName + (el.id ? '#' + el.id : '') + (el.alt ? ' ' + el.alt : ''))").getAsJsonArray();
        unlaid.forEach(u -> problems.add("not laid out (no size): " + u.getAsString()));
        if (evaluate("document.documentElement.scrollWidth > window.innerWidth + 1").getAsBoolean()) {
            problems.add("content wider than the window: " + evaluate("document.documentElement.scrollWidth") + " px");
        }
        if (evaluate("getComputedStyle(document.body).fontFamily === '' || !document.querySelector('style')").getAsBoolean()) {
            problems.add("no inline style sheet");
        }
        double height = evaluate("document.documentElement.scrollHeight").getAsDouble();
        double width = evaluate("document.documentElement.scrollWidth").getAsDouble();
        JsonObject shot = new JsonObject();
        shot.addProperty("format", "png");
        shot.addProperty("captureBeyondViewport", true);
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", width);
        clip.addProperty("height", height);
        clip.addProperty("scale", 1);
        shot.add("clip", clip);
        byte[] png = Base64.getDecoder().decode(send("Page.captureScreenshot", shot).get("data").getAsString());
        return new PageCheck(problems, png, height);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
