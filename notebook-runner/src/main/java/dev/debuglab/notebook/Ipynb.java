package dev.debuglab.notebook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.debuglab.kernel.Language;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jupyter notebook file (nbformat 4) as the runner needs it: its cells (markdown, code, raw) in order and the
 * language its kernelspec names. Immutable. Outputs stored in the file are ignored: the runner executes the cells.
 *
 * @param cells    the cells in order
 * @param language Java for {@code debuglab-java} (or any Java kernelspec), Kotlin for {@code debuglab-kotlin}
 * @param kernel   the kernelspec name as written in the file ("" when absent)
 */
public record Ipynb(List<Cell> cells, Language language, String kernel) {
    public Ipynb {
        cells = List.copyOf(cells);
    }

    /** One cell: {@code type} is "markdown", "code" or "raw"; {@code number} counts from 1 over all cells. */
    public record Cell(int number, String type, String source) {}

    /** A notebook that cannot be read; the message names the problem and the fix. */
    public static final class BadNotebook extends RuntimeException {
        public BadNotebook(String message) {
            super(message);
        }
    }

    /** Parses the JSON text of an .ipynb file. */
    public static Ipynb parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new BadNotebook("not a notebook: the file is not valid JSON (" + firstLine(e.getMessage()) + "); save it from Jupyter again");
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("cells"))
            throw new BadNotebook("not a notebook: no \"cells\" array; give an .ipynb file saved by Jupyter (nbformat 4)");
        JsonObject nb = root.getAsJsonObject();
        int major = nb.has("nbformat") ? nb.get("nbformat").getAsInt() : 0;
        if (major != 4)
            throw new BadNotebook("nbformat " + major + " is not supported; convert it with `jupyter nbconvert --to notebook --nbformat 4`");
        JsonObject meta = nb.has("metadata") && nb.get("metadata").isJsonObject() ? nb.getAsJsonObject("metadata") : new JsonObject();
        String kernel = "", lang = "";
        if (meta.has("kernelspec") && meta.get("kernelspec").isJsonObject()) {
            JsonObject ks = meta.getAsJsonObject("kernelspec");
            kernel = string(ks, "name");
            lang = string(ks, "language");
        }
        if (lang.isEmpty() && meta.has("language_info") && meta.get("language_info").isJsonObject())
            lang = string(meta.getAsJsonObject("language_info"), "name");
        Language language;
        if (kernel.equals(Language.KOTLIN.kernelName) || kernel.isEmpty() && lang.equalsIgnoreCase("kotlin")) language = Language.KOTLIN;
        else if (kernel.equals(Language.JAVA.kernelName) || kernel.isEmpty() && (lang.isEmpty() || lang.equalsIgnoreCase("java"))) language = Language.JAVA;
        else if (lang.equalsIgnoreCase("kotlin")) language = Language.KOTLIN;
        else if (lang.equalsIgnoreCase("java")) language = Language.JAVA;
        else
            throw new BadNotebook("the notebook's kernel is '" + kernel + "' (" + (lang.isEmpty() ? "no language" : lang)
                    + "); this runner runs debuglab-java and debuglab-kotlin notebooks — change the kernel in Jupyter (Kernel > Change kernel)");
        List<Cell> cells = new ArrayList<>();
        JsonArray arr = nb.getAsJsonArray("cells");
        for (int i = 0; i < arr.size(); i++) {
            JsonObject c = arr.get(i).getAsJsonObject();
            cells.add(new Cell(i + 1, string(c, "cell_type"), source(c.get("source"))));
        }
        return new Ipynb(cells, language, kernel);
    }

    /** nbformat's multiline string: a string or a list of strings to concatenate. */
    static String source(JsonElement e) {
        if (e == null || e.isJsonNull()) return "";
        if (e.isJsonPrimitive()) return e.getAsString();
        StringBuilder b = new StringBuilder();
        for (JsonElement part : e.getAsJsonArray()) b.append(part.getAsString());
        return b.toString();
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static String firstLine(String s) {
        if (s == null) return "parse error";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
