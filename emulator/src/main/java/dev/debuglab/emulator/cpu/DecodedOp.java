package dev.debuglab.emulator.cpu;

/**
 * Base class of the predecoded ops of the execute layer. It is an {@link Op} like any other; the
 * interpreter's instruction cache holds {@code DecodedOp}s so that the hot call site is a virtual
 * call through the class's vtable rather than an interface call, which measurably speeds up the
 * dispatch of every instruction. Ops from elsewhere (the system kinds) are wrapped by
 * {@link #of(Op)}.
 */
public abstract class DecodedOp implements Op {
    @Override
    public abstract void execute(Cpu cpu);

    /** {@code op} as a DecodedOp (itself if it already is one). */
    public static DecodedOp of(Op op) {
        if (op instanceof DecodedOp d) return d;
        return new DecodedOp() {
            @Override
            public void execute(Cpu cpu) {
                op.execute(cpu);
            }
        };
    }
}
