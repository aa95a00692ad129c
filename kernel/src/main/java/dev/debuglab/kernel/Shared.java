package dev.debuglab.kernel;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hand-over of Kotlin values to Java cells: the kernel parks a value here and defines the Java variable with
 * {@code T name = (T) Shared.take("key");}. Public because JShell's snippets call it; not for users.
 */
public final class Shared {
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private Shared() {
    }

    static String park(Object value) {
        String key = UUID.randomUUID().toString();
        PARKED.put(key, value);
        return key;
    }

    public static Object take(String key) {
        return PARKED.remove(key);
    }
}
