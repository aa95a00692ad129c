package dev.debuglab.kernel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Jupyter wire format: {@code [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content,
 * buffers...]}, signed with HMAC over the four JSON frames (the scheme and
 * key of the connection file). Verification compares in constant time.
 */
final class Wire {
    static final String DELIMITER = "<IDS|MSG>";
    static final String PROTOCOL_VERSION = "5.3";
    private static final byte[] DELIMITER_BYTES = DELIMITER.getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    /** A received or outgoing message. {@code identities} route a reply on a ROUTER socket. */
    record Message(List<byte[]> identities, JsonObject header, JsonObject parentHeader, JsonObject metadata, JsonObject content) {
        String type() {
            return header.has("msg_type") ? header.get("msg_type").getAsString() : "";
        }
    }

    /** A message that cannot be read or whose signature is wrong; the reason goes to the log, the message is dropped. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Initialized with the key and never used itself: each signature is computed on a clone. A shared Mac (the base
     * kernel's HMACGenerator) keeps the frames of a signature a cell thread was stopped in the middle of (Thread.stop
     * from an interrupt), so the next message signed (an interrupt_reply, a cell's idle) got a wrong signature and was
     * dropped by the client.
     */
    private final Mac prototype;
    private final boolean signed;
    final String session = UUID.randomUUID().toString();
    /**
     * Numbers this kernel's messages: a msg_id is the session's UUID and this number, unique as a UUID per message would
     * be (jupyter_client names its own messages the same way), without a UUID's read of the system's random source per
     * message (five messages per cell: about 0.4 ms of a trivial cell's CPU in the running kernel's profile).
     */
    private final java.util.concurrent.atomic.AtomicLong messages = new java.util.concurrent.atomic.AtomicLong();

    Wire(String scheme, String key) throws NoSuchAlgorithmException, InvalidKeyException {
        signed = key != null && !key.isEmpty();
        if (signed) {
            String algorithm = (scheme == null ? "hmac-sha256" : scheme).replace("-", "");
            prototype = Mac.getInstance(algorithm);
            prototype.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), algorithm));
        } else {
            prototype = null;
        }
    }

    String sign(byte[]... frames) {
        if (!signed) return "";
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC implementation cannot be cloned: " + e.getMessage(), e);
        }
        for (byte[] f : frames) mac.update(f);
        byte[] digest = mac.doFinal();
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = Character.forDigit((digest[i] >> 4) & 0xF, 16);
            hex[2 * i + 1] = Character.forDigit(digest[i] & 0xF, 16);
        }
        return new String(hex);
    }

    Message decode(List<byte[]> frames) throws Rejected {
        int d = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (MessageDigest.isEqual(frames.get(i), DELIMITER_BYTES)) {
                d = i;
                break;
            }
        }
        if (d < 0) throw new Rejected("no <IDS|MSG> delimiter");
        if (frames.size() < d + 6) throw new Rejected("fewer than the 5 frames after the delimiter");
        byte[] signature = frames.get(d + 1);
        byte[] h = frames.get(d + 2), p = frames.get(d + 3), m = frames.get(d + 4), c = frames.get(d + 5);
        if (signed) {
            byte[] expected = sign(h, p, m, c).getBytes(StandardCharsets.US_ASCII);
            if (signature.length == 0) throw new Rejected("unsigned message");
            if (!MessageDigest.isEqual(expected, signature)) throw new Rejected("wrong HMAC signature");
        }
        try {
            JsonObject header = object(h), parent = object(p), metadata = object(m), content = object(c);
            if (!header.has("msg_type") || !header.get("msg_type").isJsonPrimitive()) throw new Rejected("header without msg_type");
            return new Message(new ArrayList<>(frames.subList(0, d)), header, parent, metadata, content);
        } catch (RuntimeException e) {
            throw new Rejected("malformed JSON (" + e.getMessage() + ")");
        }
    }

    private static JsonObject object(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        if (s.isBlank()) return new JsonObject();
        return JsonParser.parseString(s).getAsJsonObject();
    }

    JsonObject header(String type) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", session + "_" + messages.incrementAndGet());
        h.addProperty("session", session);
        h.addProperty("username", "debuglab");
        h.addProperty("date", OffsetDateTime.now(ZoneOffset.UTC).format(DATE));
        h.addProperty("msg_type", type);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    /** The frames of a message of {@code type} answering {@code parent} (null: no parent). */
    List<byte[]> encode(List<byte[]> identities, String type, JsonObject parentHeader, JsonObject content) {
        byte[] h = header(type).toString().getBytes(StandardCharsets.UTF_8);
        byte[] p = (parentHeader == null ? new JsonObject() : parentHeader).toString().getBytes(StandardCharsets.UTF_8);
        byte[] m = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] c = content.toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> frames = new ArrayList<>(identities);
        frames.add(DELIMITER_BYTES);
        frames.add(sign(h, p, m, c).getBytes(StandardCharsets.US_ASCII));
        frames.add(h);
        frames.add(p);
        frames.add(m);
        frames.add(c);
        return frames;
    }
}
