package relutornado.study;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A study file: a grid of {@code train} runs. Every {@code train} flag is a key (its name without the dashes);
 * a list value is a grid axis, any other value is the same for every cell; {@code exclude:} drops the
 * combinations it matches; {@code name:} names the study; {@code slurm:} holds the Slurm executor's
 * defaults (partition, time, mem, gres, throttle, cpus-per-task).
 * <pre>
 * name: paper-5-seeds
 * dataset: [mnist, fashion]
 * model: [ffnn, cnn]
 * head: [softmax, relu]
 * seed: [1, 2, 3, 4, 5]
 * protocol: paper
 * exclude:
 *   - {dataset: wdbc, model: cnn}
 * </pre>
 *
 * @param name     the study's name (default: the file's name without .yaml)
 * @param keys     every train key of the file, in the file's order, with its values (one for a constant)
 * @param axes     the keys whose value is a list
 * @param excludes each entry: key -> the values it matches; a cell matching every key of one entry is dropped
 * @param slurm    the file's slurm: settings
 */
public record Study(String name, Map<String, List<String>> keys, Set<String> axes, List<Map<String, Set<String>>> excludes,
                    Map<String, String> slurm) {

    /** The keys of the slurm: section. */
    public static final Set<String> SLURM_KEYS = Set.of("partition", "time", "mem", "gres", "throttle", "cpus-per-task");
    /** Keys that never change a result, so they stay out of the cell ids. */
    static final Set<String> NOT_IN_ID = Set.of("data-dir", "checkpoint-every");

    /**
     * The train flags a study may set: their names without dashes, and which of them are switches
     * (true/false in the file).
     */
    public record Flags(Set<String> names, Set<String> switches) {
    }

    /** One run of the grid: its id and its settings in the file's key order. */
    public record Cell(String id, Map<String, String> settings) {

        /** The train flags of this cell (switches given as a bare flag when true, left out when false). */
        public List<String> args(Set<String> switches) {
            List<String> args = new ArrayList<>();
            settings.forEach((k, v) -> {
                if (switches.contains(k)) {
                    if (v.equals("true")) {
                        args.add("--" + k);
                    }
                } else {
                    args.add("--" + k);
                    args.add(v);
                }
            });
            return args;
        }
    }

    /** Reads and checks a study file's keys; the cells' values are checked by {@link #cells}. */
    public static Study read(Path file, Flags flags) {
        return read(file, flags, Map.of());
    }

    /**
     * As {@link #read(Path, Flags)}, with {@code overrides} (key -> a YAML value: a scalar, or a list such as [1, 2, 3]
     * for an axis) replacing or adding keys of the file, in their order ('study run --set KEY=VALUE').
     */
    public static Study read(Path file, Flags flags, Map<String, String> overrides) {
        Object doc;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(options)).load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("study file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read study file " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("study file " + file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("study file " + file + ": expected a mapping of train flags to values");
        }
        Map<Object, Object> top = new LinkedHashMap<>(map);
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            try {
                top.put(o.getKey(), new Yaml(new SafeConstructor(options)).load(o.getValue()));
            } catch (YAMLException e) {
                throw new IllegalArgumentException("--set " + o.getKey() + "=" + o.getValue() + ": not a YAML value: "
                        + e.getMessage().replace('\n', ' '));
            }
        }
        String where = "study file " + file + ": ";
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Set<String> axes = new LinkedHashSet<>();
        List<Map<String, Set<String>>> excludes = new ArrayList<>();
        Map<String, String> slurm = new LinkedHashMap<>();
        List<Object> rawExcludes = List.of();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            switch (key) {
                case "name" -> name = scalar(where, key, value);
                case "exclude" -> {
                    if (!(value instanceof List<?> list)) {
                        throw new IllegalArgumentException(where + "exclude: must be a list of mappings such as {dataset: wdbc, model: cnn}");
                    }
                    rawExcludes = new ArrayList<>(list);
                }
                case "slurm" -> {
                    if (!(value instanceof Map<?, ?> m)) {
                        throw new IllegalArgumentException(where + "slurm: must be a mapping of " + new TreeMap<>(Map.of("keys", SLURM_KEYS)));
                    }
                    m.forEach((k, v) -> {
                        String sk = String.valueOf(k);
                        if (!SLURM_KEYS.contains(sk)) {
                            throw new IllegalArgumentException(where + "unknown key 'slurm." + sk + "' (known: " + new java.util.TreeSet<>(SLURM_KEYS) + ")");
                        }
                        slurm.put(sk, scalar(where, "slurm." + sk, v));
                    });
                }
                default -> {
                    if (key.startsWith("--")) {
                        throw new IllegalArgumentException(where + "key '" + key + "': write flags without the dashes ('" + key.substring(2) + "')");
                    }
                    if (key.equals("out") || key.equals("resume")) {
                        throw new IllegalArgumentException(where + "key '" + key + "' is set by the study runner (each cell's folder is DIR/cells/ID)");
                    }
                    if (!flags.names().contains(key)) {
                        throw new IllegalArgumentException(where + "unknown key '" + key + "' (not a 'train' flag; known: "
                                + new java.util.TreeSet<>(flags.names()) + ", name, exclude, slurm)");
                    }
                    List<String> values = new ArrayList<>();
                    if (value instanceof List<?> list) {
                        if (list.isEmpty()) {
                            throw new IllegalArgumentException(where + "key '" + key + "' is an empty list: the grid would be empty");
                        }
                        for (Object v : list) {
                            values.add(scalar(where, key, v));
                        }
                        if (new LinkedHashSet<>(values).size() != values.size()) {
                            throw new IllegalArgumentException(where + "key '" + key + "' repeats a value: " + values);
                        }
                        axes.add(key);
                    } else {
                        values.add(scalar(where, key, value));
                    }
                    if (flags.switches().contains(key)) {
                        for (String v : values) {
                            if (!v.equals("true") && !v.equals("false")) {
                                throw new IllegalArgumentException(where + "key '" + key + "' is a switch: true or false, got '" + v + "'");
                            }
                        }
                    }
                    keys.put(key, values);
                }
            }
        }
        for (Object x : rawExcludes) {
            if (!(x instanceof Map<?, ?> m) || m.isEmpty()) {
                throw new IllegalArgumentException(where + "exclude: each entry must be a mapping such as {dataset: wdbc, model: cnn}, got " + x);
            }
            Map<String, Set<String>> match = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                String ek = String.valueOf(k);
                if (!keys.containsKey(ek)) {
                    throw new IllegalArgumentException(where + "exclude: key '" + ek + "' is not a key of the study");
                }
                Set<String> vs = new LinkedHashSet<>();
                if (v instanceof List<?> l) {
                    for (Object o : l) {
                        vs.add(scalar(where, "exclude." + ek, o));
                    }
                } else {
                    vs.add(scalar(where, "exclude." + ek, v));
                }
                match.put(ek, vs);
            });
            excludes.add(match);
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(where + "name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        return new Study(name, keys, axes, excludes, slurm);
    }

    private static String scalar(String where, String key, Object v) {
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
            throw new IllegalArgumentException(where + "key '" + key + "' needs a value (a number, a word or true/false), got " + v);
        }
        return String.valueOf(v);
    }

    /**
     * The grid's cells, in the file's order (the last axis varies fastest), excluded combinations dropped.
     * {@code check} sees each cell and throws, naming the flag, for a value {@code train} would refuse.
     */
    public List<Cell> cells(Consumer<Cell> check) {
        List<Cell> cells = new ArrayList<>();
        List<String> names = new ArrayList<>(keys.keySet());
        expand(names, 0, new LinkedHashMap<>(), cells);
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("study " + name + ": exclude: drops every cell, the grid is empty");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (Cell c : cells) {
            try {
                check.accept(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("study " + name + ", cell " + c.id() + " " + c.settings() + ": " + e.getMessage(), e);
            }
            if (!ids.add(c.id())) {
                throw new IllegalStateException("study " + name + ": two cells share the id " + c.id());
            }
        }
        return cells;
    }

    private void expand(List<String> names, int i, Map<String, String> chosen, List<Cell> out) {
        if (i == names.size()) {
            for (Map<String, Set<String>> ex : excludes) {
                boolean all = true;
                for (Map.Entry<String, Set<String>> e : ex.entrySet()) {
                    all &= e.getValue().contains(chosen.get(e.getKey()));
                }
                if (all) {
                    return;
                }
            }
            out.add(new Cell(id(chosen), new LinkedHashMap<>(chosen)));
            return;
        }
        String key = names.get(i);
        for (String v : keys.get(key)) {
            chosen.put(key, v);
            expand(names, i + 1, chosen, out);
        }
        chosen.remove(key);
    }

    /**
     * A cell's id: its axis values for people ("wdbc-relu-seed3", a switch as "scale" or "noscale"), then 8 hex digits of a SHA-256 of every
     * setting that can change a result, sorted by key; the same settings give the same id in any study.
     */
    String id(Map<String, String> settings) {
        StringBuilder label = new StringBuilder();
        for (String axis : axes) {
            String v = settings.get(axis).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "");
            String key = axis.replace("-", "");
            if (v.equals("true") || v.equals("false")) {
                v = v.equals("true") ? key : "no" + key;
            } else if (v.isEmpty() || Character.isDigit(v.charAt(0)) || v.charAt(0) == '.') {
                v = key + v;
            }
            label.append(v).append('-');
        }
        StringBuilder canon = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> {
            if (!NOT_IN_ID.contains(k)) {
                canon.append(k).append('=').append(v).append('\n');
            }
        });
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(canon.toString().getBytes(StandardCharsets.UTF_8));
            return label + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
