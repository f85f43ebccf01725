package relutornado.engine.tornado;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import relutornado.engine.DeviceFault;
import relutornado.engine.DeviceInfo;
import relutornado.engine.DeviceKernels;
import relutornado.engine.DeviceMemory;
import relutornado.engine.Engine;
import relutornado.engine.EngineOptions;
import relutornado.engine.Fusions;
import relutornado.engine.KernelCall;
import relutornado.engine.KernelVariants;
import relutornado.engine.Launch;
import relutornado.engine.Program;
import relutornado.engine.KernelVariants.Family;
import relutornado.engine.KernelVariants.Variant;
import relutornado.engine.tuning.TunedKernels;
import relutornado.engine.tuning.TuningFile;
import relutornado.engine.tuning.TuningFile.Candidate;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.exceptions.TornadoBailoutRuntimeException;
import uk.ac.manchester.tornado.api.TornadoProfilerResult;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * The TornadoVM engine: a program becomes one TaskGraph per phase in one TornadoExecutionPlan on
 * the chosen device.
 * <pre>
 *   graph 0 = first phase ("train")                       graph i &gt; 0 ("eval", ...)
 *     transferToDevice(FIRST_EXECUTION, STATE)              consumeFromDevice(graph 0, STATE)
 *     transferToDevice(EVERY_EXECUTION, INPUT)              transferToDevice(EVERY_EXECUTION, INPUT)
 *     transferToDevice(FIRST_EXECUTION, WORK)               transferToDevice(FIRST_EXECUTION, WORK)
 *     transferToDevice(UNDER_DEMAND, SCRATCH)               transferToDevice(UNDER_DEMAND, SCRATCH)
 *     task per KernelCall, in order                         task per KernelCall, in order
 *     transferToHost(UNDER_DEMAND, STATE)                   transferToHost(EVERY_EXECUTION, OUTPUT)
 *     transferToHost(EVERY_EXECUTION, OUTPUT)
 *   syncState(): executionResult(graph 0).transferToHost(STATE)
 * </pre>
 * STATE (weights, Adam moments) is copied in once per session and stays on the device; per
 * execution only INPUT (the batch, labels, step counters) goes in and OUTPUT (per-row loss and
 * predictions) comes back. WORK arrays (activations, gradients) cross once, when a graph first runs
 * (TornadoVM wants every task argument declared), and never come back. SCRATCH are the arrays
 * the device variants add (patch matrices, packed operands): every execution writes them before reading, so
 * they are declared UNDER_DEMAND, which TornadoVM allocates on the device without copying the host array in.
 * Graph 0 owns the STATE buffers (declared UNDER_DEMAND out: other graphs consume them, syncState reads
 * them back), so it must run before any other phase of the session.
 * <p>
 * With {@code --device-kernels tuned} each call whose kernel has a device variant in {@link KernelVariants}
 * runs that variant. A call's {@link Launch} becomes a {@code WorkerGrid} in the plan's {@code GridScheduler}
 * where it says what the kernel's loops cannot (a KernelContext kernel, a local size; see {@link #needsGrid}),
 * keyed {@code graph.task} by {@link #taskKey} — the same names the tasks get.
 */
public final class TornadoEngine implements Engine {
    static final String BYTECODE_SIZE_PROPERTY = "tornado.tvm.maxbytecodesize";
    static final int BYTECODE_SIZE = 64 * 1024;
    /** Which runtimes TornadoVM's SPIR-V backend starts (TornadoVM's default: opencl,levelzero). */
    static final String SPIRV_RUNTIMES_PROPERTY = "tornado.spirv.runtimes";

    static {
        // TornadoVM reads its options once, when its runtime starts: this runs first (devices() and the constructor
        // are the only ways in). Its SPIR-V backend throws at start-up when Level Zero is asked for but has no GPU,
        // taking every backend with it, so without a Level Zero GPU SPIR-V runs through OpenCL only. A value the
        // user set (-Dtornado.spirv.runtimes=...) is kept.
        if (System.getProperty(SPIRV_RUNTIMES_PROPERTY) == null && !levelZeroGpu()) {
            System.setProperty(SPIRV_RUNTIMES_PROPERTY, "opencl");
        }
        // A kernel TornadoVM cannot compile must be an error, never a silent run in Java.
        if (System.getProperty("tornado.recover.bailout") == null) {
            System.setProperty("tornado.recover.bailout", "False");
        }
        // TornadoVM assembles each graph into a bytecode buffer of tornado.tvm.maxbytecodesize bytes (default
        // 4,096), read once per JVM, when the first graph compiles: so here, before any graph of ours (the Oclgrind
        // check's included) compiles. A task costs ~33 bytes plus 5 per argument: the CNN's train graph (46 tasks,
        // ~11 arguments each, plus allocations and transfers) needs ~5.5 KB and overflows the default, which
        // TornadoVM reports as a bailout or a BufferOverflowException. 64 KiB leaves a tenfold margin.
        if (System.getProperty(BYTECODE_SIZE_PROPERTY) == null) {
            System.setProperty(BYTECODE_SIZE_PROPERTY, Integer.toString(BYTECODE_SIZE));
        }
    }
    /** TornadoVM drops the cause of a bailout; what it usually is, and where to look. */
    static final String BAILOUT_HINT = " (a bailout: TornadoVM could not compile or schedule the graph and does not keep the cause;"
            + " usual ones are a kernel construct the backend rejects, seen with -Dtornado.debug=True, or a graph larger than "
            + BYTECODE_SIZE_PROPERTY + ")";

    private final TornadoDevice device;
    private final String deviceId;
    private final DeviceInfo info;
    private final boolean profile;
    private final DeviceKernels deviceKernels;
    /** What runs: deviceKernels with tuned resolved for this device. */
    private final DeviceKernels kernels;
    /** With --device-kernels tuned: the device's tuning file (or the default rule) and the record of what ran. */
    private final TunedKernels tuned;

    public TornadoEngine(EngineOptions options) {
        if (System.getProperty("os.name", "").startsWith("Linux") && !String.valueOf(System.getenv("LD_PRELOAD")).contains("libjsig")) {
            System.err.println("relu-tornado: warning: this JVM runs without signal chaining. OpenCL drivers built on LLVM (PoCL,"
                    + " some CPU/FPGA runtimes) replace its SIGSEGV handler and can kill it with a bare 'Segmentation fault';"
                    + " start it with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (scripts/relu-tornado does).");
        }
        this.profile = options.profile();
        this.deviceKernels = options.deviceKernels();
        if (options.device() == null) {
            this.device = TornadoRuntimeProvider.getTornadoRuntime().getDefaultDevice();
            this.deviceId = "default";
            this.info = describe(device.getBackendIndex() + ":" + defaultIndex(device), device);
        } else {
            this.info = DeviceInfo.select(options.device(), devices());
            String[] bd = info.id().split(":");
            this.device = TornadoRuntimeProvider.getTornadoRuntime().getBackend(Integer.parseInt(bd[0])).getDevice(Integer.parseInt(bd[1]));
            this.deviceId = DeviceInfo.isIndex(options.device()) ? options.device() : options.device() + "=" + info.id();
        }
        this.kernels = resolve(deviceKernels, device.getDeviceType());
        this.tuned = deviceKernels != DeviceKernels.TUNED ? null : loadTuning(options.tuning(), info,
                device.getDeviceType() == TornadoDeviceType.CPU);
    }

    private static TunedKernels loadTuning(java.nio.file.Path file, DeviceInfo info, boolean cpu) {
        try {
            return TunedKernels.load(file, TuningFile.DEFAULT_DIR, info.tuningDevice(), TunedKernels.defaultFamily(cpu), System.err);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("--tuning: cannot read the tuning file of " + info.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A Level Zero GPU is usable when its loader library is installed and the kernel exposes a render node
     * (Intel's GPUs under i915/xe); anything less and TornadoVM's Level Zero runtime cannot start.
     */
    static boolean levelZeroGpu() {
        boolean renderNode = false;
        try (var nodes = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/dev/dri"), "renderD*")) {
            renderNode = nodes.iterator().hasNext();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        return renderNode && dirs.stream().anyMatch(d -> !d.isEmpty() && java.nio.file.Files.exists(java.nio.file.Path.of(d, "libze_loader.so.1")));
    }

    /** The default device's index within its backend (TornadoVM numbers devices per backend). */
    private static int defaultIndex(TornadoDevice device) {
        TornadoBackend backend = TornadoRuntimeProvider.getTornadoRuntime().getBackend(device.getBackendIndex());
        for (int d = 0; d < backend.getNumDevices(); d++) {
            if (backend.getDevice(d) == device) {
                return d;
            }
        }
        return 0;
    }

    /** Every device of every backend, as {@code tornado --devices} lists them; empty when there is none. */
    public static List<DeviceInfo> devices() {
        TornadoRuntime rt = TornadoRuntimeProvider.getTornadoRuntime();
        List<DeviceInfo> devices = new ArrayList<>();
        for (int b = 0; b < rt.getNumBackends(); b++) {
            TornadoBackend backend = rt.getBackend(b);
            for (int d = 0; d < backend.getNumDevices(); d++) {
                devices.add(describe(b + ":" + d, backend.getDevice(d)));
            }
        }
        return devices;
    }

    /**
     * A device in the words of {@link DeviceInfo}. The runtime, driver and version live in the backend's driver classes,
     * which this engine is not compiled against (the SDK may lack a backend): they are read by reflection on their public
     * methods, and a figure a driver does not offer is null.
     */
    static DeviceInfo describe(String id, TornadoDevice dev) {
        Object physical = dev.getPhysicalDevice();
        // SPIR-V devices wrap the runtime's own device (an OpenCL device, or a Level Zero one)
        Object runtimeDevice = call(physical, "getDeviceRuntime");
        Object native_ = runtimeDevice != null ? runtimeDevice : physical;
        Object spirvRuntime = call(physical, "getSPIRVRuntime");
        String backend = dev.getTornadoVMBackend().name();
        String runtime = spirvRuntime != null ? spirvRuntime.toString() : switch (dev.getTornadoVMBackend()) {
            case OPENCL -> "OPENCL";
            case PTX, CUDA -> "CUDA";
            default -> backend;
        };
        Object driver = call(native_, "getDriverVersion");
        Object version = call(native_, "getVersion");
        Object vendor = call(native_, "getDeviceVendor");
        long[] maxGroup = dev.getPhysicalDevice().getDeviceMaxWorkGroupSize();
        return new DeviceInfo(id, backend, runtime, dev.getPlatformName(), dev.getPhysicalDevice().getDeviceName(),
                String.valueOf(dev.getDeviceType()), dev.getMaxGlobalMemory(), driver == null ? null : driver.toString().strip(),
                version == null ? null : version.toString().strip(), safeSpirv(dev) ? "SPIR-V" : null,
                vendor != null ? vendor.toString().strip() : dev.getPlatformName(), dev.getDeviceOpenCLCVersion(),
                tornadoVersion(), maxGroup == null || maxGroup.length == 0 ? 0 : maxGroup[0]);
    }

    /**
     * TornadoVM's version from its API jar: the package's (class path), else the module's, else the jar's manifest
     * (on the module path, where TornadoVM runs, a named module's package has no implementation version); or null.
     */
    static String tornadoVersion() {
        String v = TaskGraph.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        var descriptor = TaskGraph.class.getModule().getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        try {
            var location = TaskGraph.class.getProtectionDomain().getCodeSource().getLocation();
            try (var jar = new java.util.jar.JarFile(new java.io.File(location.toURI()))) {
                return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            }
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    private static boolean safeSpirv(TornadoDevice dev) {
        try {
            return dev.isSPIRVSupported();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A public no-argument method of a driver object, or null where the object has none or it fails. */
    private static Object call(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (IllegalAccessException e) {
            // the class is not exported: call the method through an exported interface it implements
            for (Class<?> i : target.getClass().getInterfaces()) {
                try {
                    return i.getMethod(method).invoke(target);
                } catch (ReflectiveOperationException | RuntimeException ignored) {
                    // next interface
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public DeviceInfo deviceInfo() {
        return info;
    }

    @Override
    public String device() {
        return deviceId + " " + info.backend() + " " + info.name() + " (" + info.type() + ")"
                + (info.runtime().equals(info.backend()) ? "" : " on " + info.runtime()) + ", " + deviceKernels
                + (tuned != null && tuned.path() != null ? " (tuning file " + tuned.path() + ")" : kernels != deviceKernels ? " (" + kernels + ")" : "")
                + " kernels";
    }

    /**
     * {@code --device-kernels tuned} as this device resolves it: the vector variants on CPU devices (OpenCL CPU drivers
     * compile TornadoVM's scalar {@code float[]} code without vectorising it), the 4×4 register tiles elsewhere.
     */
    static DeviceKernels resolve(DeviceKernels requested, TornadoDeviceType type) {
        if (requested != DeviceKernels.TUNED) {
            return requested;
        }
        return type == TornadoDeviceType.CPU ? DeviceKernels.VECTOR : DeviceKernels.TILES;
    }

    /**
     * The tasks this engine runs for a kernel call: the call as written, its device variant, its vector variant's tasks,
     * or with --device-kernels tuned the candidate {@link TunedKernels} chooses (tuning file or default rule).
     */
    List<KernelCall> deviceCalls(KernelCall call) {
        return deviceCalls(call, new VectorVariants.Shared());
    }

    /**
     * The device tasks of a phase, in order: {@code --device-kernels plain} runs the program's calls as they are; the
     * variant families also fuse the pairs {@link Fusions} lists, then expand each call ({@link #deviceCalls}); the vector
     * family (CPU devices) launches the bias gradients on work-groups of one ({@link VectorVariants#onCpuThreads}); a
     * phase's weight packs run as one task ({@link VectorVariants#mergePacks}); the vector GEMMs' multiply-adds are fused
     * except on SPIR-V ({@link VectorVariants#forBackend}).
     */
    List<KernelCall> tasks(Program program, String phase) {
        VectorVariants.Shared shared = new VectorVariants.Shared();
        List<KernelCall> calls = deviceKernels == DeviceKernels.PLAIN ? program.phase(phase) : Fusions.fuse(program, phase);
        return VectorVariants.mergePacks(calls.stream().flatMap(c -> deviceCalls(c, shared).stream())
                .map(c -> kernels == DeviceKernels.VECTOR ? VectorVariants.onCpuThreads(c) : c)
                .map(c -> VectorVariants.forBackend(c, info.backend())).toList());
    }

    /** As {@link #deviceCalls(KernelCall)}, sharing scratch arrays with the phase's earlier calls ({@link VectorVariants.Shared}). */
    List<KernelCall> deviceCalls(KernelCall call, VectorVariants.Shared shared) {
        return switch (deviceKernels) {
            case PLAIN -> List.of(call);
            case TUNED -> candidateCalls(call, tuned.choose(call).candidate(), shared);
            case VECTOR -> {
                Variant v = KernelVariants.variant(call.method(), Family.VECTOR).orElse(null);
                List<KernelCall> vector = v == null ? null : VectorVariants.expand(call, v, v.defaults(), null, shared);
                yield vector != null ? vector : tilesCalls(call, shared);
            }
            case TILES -> tilesCalls(call, shared);
        };
    }

    private static List<KernelCall> tilesCalls(KernelCall call, VectorVariants.Shared shared) {
        return KernelVariants.variant(call.method(), Family.TILES).map(v -> VectorVariants.expand(call, v, v.defaults(), null, shared)).orElse(List.of(call));
    }

    /** The tasks of one candidate (family, tuning values, work-group) for a call. */
    static List<KernelCall> candidateCalls(KernelCall call, Candidate c) {
        return candidateCalls(call, c, new VectorVariants.Shared());
    }

    private static List<KernelCall> candidateCalls(KernelCall call, Candidate c, VectorVariants.Shared shared) {
        Family f = c.familyValue();
        if (f == Family.PLAIN) {
            return List.of(call);
        }
        Variant v = KernelVariants.variant(call.method(), f).orElseThrow(() -> new IllegalArgumentException(
                "kernel " + KernelCall.describe(call.method()) + " has no " + f.flag() + " variant"));
        List<KernelCall> calls = VectorVariants.expand(call, v, c.params(), c.local(), shared);
        if (calls == null) {
            throw new IllegalArgumentException(f.flag() + " " + c.params() + " does not fit " + KernelCall.describe(call.method())
                    + " " + KernelVariants.product(call).orElse(null));
        }
        return calls;
    }

    @Override
    public TunedKernels.Record kernelChoices() {
        return tuned == null ? null : tuned.record();
    }

    @Override
    public Session open(Program program) {
        return new TornadoSession(program);
    }

    /** Graph names: TornadoVM uses them in option keys, so letters, digits and '_' only. */
    static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The task id of a call in its graph, and the {@code graph.task} key of its worker grid: one helper for both. */
    static String taskId(KernelCall call) {
        return id(call.name());
    }

    static String taskKey(String graphName, KernelCall call) {
        return graphName + "." + taskId(call);
    }

    /**
     * Whether a launch needs a worker grid: a KernelContext kernel has no loops to size it, and a tuned local size is
     * information TornadoVM cannot infer. A {@code @Parallel} kernel with global sizes only gets its grid from its loops.
     */
    static boolean needsGrid(Launch launch) {
        return launch != null && (launch.kernelContext() || launch.local() != null);
    }

    /** A launch as TornadoVM's worker grid. */
    static WorkerGrid workerGrid(Launch launch) {
        long[] g = launch.global();
        WorkerGrid w = switch (g.length) {
            case 1 -> new WorkerGrid1D(Math.toIntExact(g[0]));
            case 2 -> new WorkerGrid2D(Math.toIntExact(g[0]), Math.toIntExact(g[1]));
            default -> new WorkerGrid3D(Math.toIntExact(g[0]), Math.toIntExact(g[1]), Math.toIntExact(g[2]));
        };
        long[] l = launch.local();
        if (l != null) {
            w.setLocalWork(l[0], l.length > 1 ? l[1] : 1, l.length > 2 ? l[2] : 1);
        }
        return w;
    }

    private final class TornadoSession implements Session {
        private final Program program;
        private final List<String> phases;
        private final String owner;
        private final TornadoExecutionPlan plan;
        private final Object[] state;
        private final Map<String, Double> totals = new LinkedHashMap<>();
        private final GridScheduler grids = new GridScheduler();
        private int gridCount;
        private final Map<String, Double> taskTotals = new LinkedHashMap<>();
        /** Task (call) name -> the kernel it runs. */
        private final Map<String, String> taskKernels = new LinkedHashMap<>();
        /** Per graph: how much of TornadoVM's accumulated profile log has been read. */
        private final int[] logRead;
        /** Per graph: the {@code graph.task} key of each task -> its call. */
        private final List<Map<String, KernelCall>> graphTasks = new ArrayList<>();
        private TornadoExecutionResult ownerResult;

        TornadoSession(Program program) {
            // before anything compiles or allocates: does the run fit the device at all?
            long maxAllocation;
            long globalMemory;
            try {
                maxAllocation = device.getMaxAllocMemory();
                globalMemory = device.getMaxGlobalMemory();
            } catch (RuntimeException e) {
                maxAllocation = 0; // a backend that cannot say: unknown, not checked
                globalMemory = 0;
            }
            DeviceMemory.of(program).check(program.name(), device(), maxAllocation, globalMemory);
            this.program = program;
            this.phases = List.copyOf(program.phases().keySet());
            this.owner = id(program.name() + "_" + phases.get(0));
            this.state = program.buffersOf(phases.get(0)).stream().filter(b -> b.role() == Program.Role.STATE)
                    .map(Program.Buffer::array).toArray();
            this.logRead = new int[phases.size()];
            List<ImmutableTaskGraph> graphs = new ArrayList<>();
            for (int i = 0; i < phases.size(); i++) {
                graphs.add(graph(phases.get(i), i == 0).snapshot());
            }
            this.plan = new TornadoExecutionPlan(graphs.toArray(new ImmutableTaskGraph[0]));
            plan.withDevice(device);
            if (gridCount > 0) {
                plan.withGridScheduler(grids);
            }
            if (profile) {
                plan.withProfiler(ProfilerMode.SILENT);
            }
        }

        private TaskGraph graph(String phase, boolean isOwner) {
            String graphName = id(program.name() + "_" + phase);
            TaskGraph g = new TaskGraph(graphName);
            Map<String, KernelCall> tasks = new LinkedHashMap<>();
            graphTasks.add(tasks);
            List<Program.Buffer> used = program.buffersOf(phase);
            Object[] stateUsed = used.stream().filter(b -> b.role() == Program.Role.STATE).map(Program.Buffer::array).toArray();
            Object[] inputs = used.stream().filter(b -> b.role() == Program.Role.INPUT).map(Program.Buffer::array).toArray();
            Object[] outputs = used.stream().filter(b -> b.role() == Program.Role.OUTPUT).map(Program.Buffer::array).toArray();
            Object[] work = used.stream().filter(b -> b.role() == Program.Role.WORK).map(Program.Buffer::array).toArray();
            if (stateUsed.length > 0) {
                if (isOwner) {
                    g.transferToDevice(DataTransferMode.FIRST_EXECUTION, stateUsed);
                } else {
                    for (Object s : stateUsed) {
                        if (!java.util.Arrays.asList(state).contains(s)) {
                            throw new IllegalArgumentException("phase " + phase + " of " + program.name() + " uses STATE array "
                                    + program.buffer(s).name() + " that phase " + phases.get(0) + " does not own");
                        }
                    }
                    g.consumeFromDevice(owner, stateUsed);
                }
            }
            if (inputs.length > 0) {
                g.transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
            }
            if (work.length > 0) {
                // TornadoVM wants every task argument declared; WORK crosses once, when the graph first runs
                g.transferToDevice(DataTransferMode.FIRST_EXECUTION, work);
            }
            List<KernelCall> calls = tasks(program, phase);
            // arrays the variants added (patch matrices, packed operands): device-only work buffers
            java.util.Set<Object> known = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            used.forEach(b -> known.add(b.array()));
            Object[] scratch = calls.stream().flatMap(c -> java.util.Arrays.stream(c.args()))
                    .filter(x -> !(x instanceof Number) && known.add(x)).toArray();
            // UNDER_DEMAND on the way in: TornadoVM allocates the device buffer and never copies the host array in
            if (scratch.length > 0) {
                g.transferToDevice(DataTransferMode.UNDER_DEMAND, scratch);
            }
            for (KernelCall call : calls) {
                Object[] args = call.args();
                if (call.launch() != null && call.launch().kernelContext()) {
                    Object[] withContext = new Object[args.length + 1];
                    withContext[0] = new KernelContext();
                    System.arraycopy(args, 0, withContext, 1, args.length);
                    args = withContext;
                }
                Tasks.add(g, taskId(call), call.method(), args);
                tasks.put(taskKey(graphName, call), call);
                taskKernels.put(call.name(), KernelCall.describe(call.method()));
                if (needsGrid(call.launch())) {
                    grids.addWorkerGrid(taskKey(graphName, call), workerGrid(call.launch()));
                    gridCount++;
                }
            }
            if (isOwner && stateUsed.length > 0) {
                // Kept on the device for the other graphs (consumeFromDevice) and read back only by syncState, as TornadoVM's
                // own tests declare what TornadoExecutionResult.transferToHost reads (persistOnDevice is this call in 5.2).
                g.transferToHost(DataTransferMode.UNDER_DEMAND, stateUsed);
            }
            if (outputs.length > 0) {
                g.transferToHost(DataTransferMode.EVERY_EXECUTION, outputs);
            }
            return g;
        }

        @Override
        public void run(String phase) {
            int index = phases.indexOf(phase);
            if (index < 0) {
                throw new IllegalArgumentException("program " + program.name() + " has no phase '" + phase + "' (has " + phases + ")");
            }
            if (index > 0 && ownerResult == null) {
                throw new IllegalStateException("phase " + phase + " of " + program.name() + " ran before phase " + phases.get(0)
                        + ", which owns the device copies of the weights; run " + phases.get(0) + " first in a session");
            }
            TornadoExecutionResult result;
            try {
                result = plan.withGraph(index).execute();
            } catch (RuntimeException e) {
                List<String> tasks = program.phase(phase).stream().map(c -> id(c.name())).toList();
                throw new IllegalStateException(DeviceFault.describe(e, "TornadoVM", device(), program.name(), phase, tasks)
                        + (e instanceof TornadoBailoutRuntimeException ? BAILOUT_HINT : ""), e);
            }
            if (index == 0) {
                ownerResult = result;
            }
            if (profile) {
                // the profiler result reads the selected graph lazily: take the figures now
                TornadoProfilerResult p = result.getProfilerResult();
                add("kernel_ns", p.getDeviceKernelTime());
                add("copy_in_ns", p.getDeviceWriteTime());
                add("copy_out_ns", p.getDeviceReadTime());
                add("copy_in_bytes", p.getTotalBytesCopyIn());
                add("copy_out_bytes", p.getTotalBytesCopyOut());
                add("compile_ns", p.getTornadoCompilerTime() + p.getDriverInstallTime());
                add("total_ns", p.getTotalTime());
                readTaskTimes(index, p.getProfileLog());
            }
        }

        private void add(String key, long value) {
            if (value > 0) {
                totals.merge(key, (double) value, Double::sum);
            } else {
                totals.putIfAbsent(key, 0.0);
            }
        }

        /** The part of a graph's profiler log not read yet, its task times summed into taskTotals by call name. */
        private void readTaskTimes(int graph, String log) {
            if (log == null || log.length() <= logRead[graph]) {
                return;
            }
            String fresh = log.substring(logRead[graph]);
            logRead[graph] = log.length();
            ProfileLog.tasks(fresh).forEach(t -> {
                KernelCall call = graphTasks.get(graph).get(t.key());
                if (call != null) {
                    ProfileLog.checkMethod(t, call);
                    taskTotals.merge(call.name(), (double) t.kernelNs(), Double::sum);
                }
            });
        }

        @Override
        public Map<String, Double> takeTaskProfile() {
            Map<String, Double> copy = new LinkedHashMap<>(taskTotals);
            taskTotals.clear();
            return copy;
        }

        @Override
        public Map<String, String> taskKernels() {
            return Map.copyOf(taskKernels);
        }

        @Override
        public void syncState() {
            if (ownerResult != null && state.length > 0) {
                ownerResult.transferToHost(state);
            }
        }

        @Override
        public Map<String, Double> takeProfile() {
            Map<String, Double> copy = new LinkedHashMap<>(totals);
            totals.replaceAll((k, v) -> 0.0);
            return copy;
        }

        @Override
        public void close() {
            try {
                plan.close();
            } catch (Exception e) {
                throw new IllegalStateException("TornadoVM could not free device memory of " + program.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
