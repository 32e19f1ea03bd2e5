import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * The engine of the sandbox's Java kernel (template/python/sandbox_kernels/java.py): one JShell, whose state
 * (variables, methods, classes, imports) lasts between runs, and whose code runs in a JVM of its own, with
 * Jackson on the class path (the input variables are its JsonNode).
 *
 * Requests, one per line on stdin: "RUN <code>" or "STOP" (stops the running code, as Ctrl-C would).
 * Replies, one per line on stdout: "OUT <text>" and "ERR <text>" while the code runs, then "VALUE <text>" for the
 * value of a last expression, or "ERROR <name> <value> <traceback>", and "DONE". Every field is base64 of UTF-8.
 *
 * As in a script: stdin is empty, and System.exit(status) ends the run there (0: success) while the JVM and the
 * state stay.
 */
public final class KernelServer {
	private static final PrintStream PROTOCOL = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
	private static final Base64.Encoder BASE64 = Base64.getEncoder();
	private static final String EXIT_PREFIX = "n8n-exit:";
	private static final Pattern EXIT = Pattern.compile(Pattern.quote(EXIT_PREFIX) + "(-?\\d+)");
	/**
	 * Run once, before the first run, in the code's JVM: System.exit from the code throws instead of ending that JVM
	 * (Java 17's warning about the security manager goes nowhere), the code cannot take the security manager away,
	 * and closing System.out or System.err (a PrintWriter's close() does) only flushes them, as they are JShell's
	 * channel to this engine.
	 */
	private static final String STARTUP = "{ var err = System.err; System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));"
			+ " System.setSecurityManager(new SecurityManager() {"
			+ "  boolean fromCode() {"
			+ "   for (StackTraceElement frame : Thread.currentThread().getStackTrace()) if (frame.getClassName().startsWith(\"REPL.\")) return true;"
			+ "   return false; }"
			+ "  public void checkPermission(java.security.Permission permission) {"
			+ "   if (permission.getName().equals(\"setSecurityManager\") && fromCode()) throw new SecurityException(\"the sandbox's Java kernel keeps its security manager\"); }"
			+ "  public void checkExit(int status) { if (fromCode()) throw new SecurityException(\"" + EXIT_PREFIX + "\" + status); } });"
			+ " var utf8 = java.nio.charset.StandardCharsets.UTF_8;"
			+ " System.setErr(new java.io.PrintStream(err, true, utf8) { public void close() { flush(); } });"
			+ " System.setOut(new java.io.PrintStream(System.out, true, utf8) { public void close() { flush(); } }); }";
	/** A value is read from a file the code's JVM writes, up to this size (the node cuts results far below it). */
	private static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;
	/** JShell's own copy of a value is cut at about 21,800 characters: longer ones are read from the file. */
	private static final int SHORT_VALUE_CHARS = 20_000;
	private static volatile boolean ended;
	private static java.nio.file.Path valueFile;

	public static void main(String[] args) throws Exception {
		JShell shell = JShell.builder()
				.in(InputStream.nullInputStream())
				.out(new PrintStream(new Framed("OUT"), true, StandardCharsets.UTF_8))
				.err(new PrintStream(new Framed("ERR"), true, StandardCharsets.UTF_8))
				.remoteVMOptions("-Djava.security.manager=allow", "-Dfile.encoding=UTF-8", "-XX:+UseSerialGC")
				.build();
		for (String jar : args) shell.addToClasspath(jar);
		// The code's JVM ended (System.exit without our guard, a crash): this engine reports it and ends too.
		shell.onShutdown(closed -> ended = true);
		valueFile = java.nio.file.Files.createTempFile("n8n-java-value-", ".txt");
		for (SnippetEvent event : shell.eval(STARTUP)) {
			if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
				System.err.println("The kernel's start-up code failed: " + event.exception() + " " + shell.diagnostics(event.snippet()).map(diag -> diag.getMessage(Locale.ROOT)).filter(message -> !message.contains("deprecated")).toList());
				System.exit(1);
			}
		}
		LinkedBlockingQueue<String> runs = new LinkedBlockingQueue<>();
		Thread requests = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
				for (String line; (line = in.readLine()) != null;) {
					if (line.equals("STOP")) shell.stop();
					else if (line.startsWith("RUN ")) runs.add(decode(line.substring(4)));
				}
			} catch (Exception e) {
				// stdin closed: the kernel ended.
			}
			end(0);
		});
		requests.setDaemon(true);
		requests.start();
		send("READY");
		Output.sendEvery();
		for (;;) {
			String code = runs.take();
			try {
				run(shell, code);
			} catch (IllegalStateException closed) {
				ended = true;
			}
			Output.sendAll(true);
			if (ended) {
				send("ERROR", "JavaExited", "the code ended the Java VM that runs it", "JavaExited: the code ended the Java VM that runs it");
				send("DONE");
				end(3);
			}
			send("DONE");
		}
	}

	/** Ends this engine and the JVM that runs the code (which would go on running what it runs). */
	private static void end(int status) {
		ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
		System.exit(status);
	}

	/** Runs the code snippet by snippet, as JShell would take it typed in, until one fails. */
	private static void run(JShell shell, String code) {
		SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
		SnippetEvent last = null;
		for (String remaining = code; !remaining.isBlank();) {
			SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
			if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
			boolean complete = info.completeness().isComplete();
			String source = complete ? info.source() : remaining;
			remaining = complete ? info.remaining() : "";
			last = null;
			for (SnippetEvent event : shell.eval(source)) {
				if (event.causeSnippet() != null) continue;
				if (event.exception() != null) {
					sendError(event.exception());
					return;
				}
				if (event.status() == Snippet.Status.REJECTED) {
					sendRejected(shell, event.snippet());
					return;
				}
				if (isValue(event.snippet())) last = event;
			}
		}
		if (last != null) {
			Output.sendAll(true);
			sendValue(shell, last);
		}
	}

	/** An expression (`x * 2`, kept as a temporary variable) or a variable's name (`x`): the run's value when last. */
	private static boolean isValue(Snippet snippet) {
		return snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || snippet.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND;
	}

	/**
	 * The value as its toString(). JShell quotes and escapes strings and chars, and cuts long values: those are
	 * written to a file by the code's JVM and read here.
	 */
	private static void sendValue(JShell shell, SnippetEvent event) {
		Snippet snippet = event.snippet();
		String name = snippet instanceof VarSnippet ? ((VarSnippet) snippet).name() : ((ExpressionSnippet) snippet).name();
		String type = snippet instanceof VarSnippet ? ((VarSnippet) snippet).typeName() : ((ExpressionSnippet) snippet).typeName();
		boolean quoted = type.equals("String") || type.equals("java.lang.String") || type.equals("char") || type.equals("Character");
		if (!quoted && event.value() != null && event.value().length() < SHORT_VALUE_CHARS) {
			send("VALUE", event.value());
			return;
		}
		String write = "java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + valueFile + "\"), String.valueOf(" + name + "))";
		for (SnippetEvent written : shell.eval(write)) {
			if (written.causeSnippet() == null) shell.drop(written.snippet());
		}
		try (InputStream in = java.nio.file.Files.newInputStream(valueFile)) {
			send("VALUE", new String(in.readNBytes(MAX_VALUE_BYTES), StandardCharsets.UTF_8));
		} catch (java.io.IOException e) {
			send("ERROR", "ValueNotRead", "the run's value could not be read: " + e, "ValueNotRead: " + e);
		}
	}

	private static void sendError(JShellException exception) {
		Output.sendAll(true);
		String name = exception instanceof EvalException ? ((EvalException) exception).getExceptionClassName() : "UnresolvedReferenceException";
		String message = exception.getMessage() == null ? "" : exception.getMessage();
		Matcher exit = EXIT.matcher(message);
		if (name.equals("java.lang.SecurityException") && exit.matches()) {
			send("ERROR", "SystemExit", exit.group(1), "SystemExit: " + exit.group(1));
			return;
		}
		List<String> trace = new ArrayList<>();
		trace.add(name + (message.isEmpty() ? "" : ": " + message));
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause != exception) {
				String causeName = cause instanceof EvalException ? ((EvalException) cause).getExceptionClassName() : cause.getClass().getName();
				trace.add("Caused by: " + causeName + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
			}
			for (StackTraceElement element : cause.getStackTrace()) trace.add("\tat " + element);
		}
		send("ERROR", name, message, String.join("\n", trace));
	}

	private static void sendRejected(JShell shell, Snippet snippet) {
		Output.sendAll(true);
		List<String> messages = new ArrayList<>();
		shell.diagnostics(snippet).forEach((Diag diag) -> {
			// JShell's code lives in a class without a name: "location: class " says nothing.
			if (diag.isError()) messages.add(diag.getMessage(Locale.ROOT).replaceAll("\\n\\s*location: class\\s*$", ""));
		});
		String message = messages.isEmpty() ? "the code does not compile" : String.join("\n", messages);
		send("ERROR", "CompilationError", message, "CompilationError: " + message + "\n" + snippet.source().strip());
	}

	private static String decode(String base64) {
		return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
	}

	private static synchronized void send(String type, String... fields) {
		StringBuilder line = new StringBuilder(type);
		for (String field : fields) line.append(' ').append(BASE64.encodeToString(field.getBytes(StandardCharsets.UTF_8)));
		PROTOCOL.println(line);
	}

	/**
	 * What the code's JVM writes to System.out and System.err, in order, sent on in batches: every BATCH_MS and
	 * before the run's end (a line per println would cost the kernel more than the code).
	 */
	private static final class Output {
		private static final long BATCH_MS = 20;
		private static final List<String> types = new ArrayList<>();
		private static final List<ByteArrayOutputStream> chunks = new ArrayList<>();

		static synchronized void write(String type, byte[] bytes, int offset, int length) {
			if (types.isEmpty() || !types.get(types.size() - 1).equals(type)) {
				types.add(type);
				chunks.add(new ByteArrayOutputStream());
			}
			chunks.get(chunks.size() - 1).write(bytes, offset, length);
		}

		/** Sends what was written; between batches, a character cut in two stays until its other bytes come. */
		static synchronized void sendAll(boolean runEnded) {
			for (int i = 0; i < types.size(); i++) {
				byte[] bytes = chunks.get(i).toByteArray();
				int complete = runEnded || i < types.size() - 1 ? bytes.length : completeLength(bytes);
				if (complete > 0) send(types.get(i), new String(bytes, 0, complete, StandardCharsets.UTF_8));
				if (complete < bytes.length) {
					String type = types.get(i);
					types.clear();
					chunks.clear();
					write(type, bytes, complete, bytes.length - complete);
					return;
				}
			}
			types.clear();
			chunks.clear();
		}

		/** The length of the bytes without a UTF-8 sequence their end cuts short. */
		private static int completeLength(byte[] bytes) {
			for (int back = 1; back <= Math.min(3, bytes.length); back++) {
				int b = bytes[bytes.length - back] & 0xff;
				if ((b & 0xc0) == 0x80) continue;
				int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
				return needed > back ? bytes.length - back : bytes.length;
			}
			return bytes.length;
		}

		static void sendEvery() {
			Thread sender = new Thread(() -> {
				for (;;) {
					try {
						Thread.sleep(BATCH_MS);
					} catch (InterruptedException e) {
						return;
					}
					sendAll(false);
				}
			});
			sender.setDaemon(true);
			sender.start();
		}
	}

	private static final class Framed extends OutputStream {
		private final String type;

		Framed(String type) {
			this.type = type;
		}

		@Override
		public void write(int b) {
			Output.write(type, new byte[] {(byte) b}, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			Output.write(type, bytes, offset, length);
		}
	}
}
