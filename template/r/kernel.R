# The sandbox's R kernel: IRkernel (Debian's r-cran-irkernel 1.3), with runs that behave as the same code would as a
# script (`Rscript script.R < /dev/null`):
# - the value of the last expression is the run's main result (an execute_result), as in the other languages;
#   IRkernel sends every value as display_data;
# - readline() returns "" at once, as it does in Rscript: nobody is there to answer;
# - quit() and q() end the run there (status 0: success, else an error), and the kernel keeps its variables;
#   IRkernel would shut the kernel down after the run;
# - install.packages() fails the run when a package did not install (R only warns), saying why.

local({
  irkernel <- asNamespace("IRkernel")
  imports <- parent.env(irkernel)

  set_binding <- function(name, value, env) {
    locked <- bindingIsLocked(name, env)
    if (locked) unlockBinding(name, env)
    assign(name, value, envir = env)
    if (locked) lockBinding(name, env)
  }

  exit_condition <- function(status) {
    structure(class = c("sandboxExit", "condition"), list(message = "exit", call = NULL, status = status))
  }
  script_quit <- function(save = "default", status = 0, runLast = TRUE) stop(exit_condition(status))
  no_input <- function(prompt = "") ""

  # IRkernel puts its own readline and quit into base before every run.
  replace_in_package <- get("replace_in_package", envir = irkernel)
  overrides <- list(readline = no_input, quit = script_quit, q = script_quit)
  set_binding("replace_in_package", function(pkg, name, FN) {
    replace_in_package(pkg, name, if (pkg == "base" && name %in% names(overrides)) overrides[[name]] else FN)
  }, irkernel)

  send_main_result <- function(executor, obj) {
    if (length(intersect(class(obj), getOption("jupyter.pager_classes"))) > 0) return(executor$handle_value(obj, TRUE))
    irkernel$set_last_value(obj)
    bundle <- irkernel$prepare_mimebundle_kernel(obj, executor$handle_display_error)
    if (is.null(bundle$data)) return(invisible())
    executor$send_response("execute_result", executor$current_request, "iopub",
      c(bundle, list(execution_count = executor$execution_count)))
  }

  # A run's code goes through evaluate(); a visible value is held back until more code follows, so that only the
  # last expression's value becomes the main result.
  evaluate <- get("evaluate", envir = imports)
  set_binding("evaluate", function(input, ..., output_handler = evaluate::new_output_handler()) {
    executor <- get0(".self", envir = environment(output_handler$value), inherits = FALSE)
    if (!is(executor, "Executor")) return(evaluate(input, ..., output_handler = output_handler))
    held <- NULL
    release <- function() {
      if (!is.null(held)) output_handler$value(held[[1]], TRUE)
      held <<- NULL
    }
    handler <- output_handler
    handler$source <- function(src) {
      release()
      output_handler$source(src)
    }
    handler$value <- function(obj, visible) {
      release()
      if (visible) held <<- list(obj) else output_handler$value(obj, FALSE)
    }
    status <- tryCatch({
      evaluate(input, ..., output_handler = handler)
      NULL
    }, sandboxExit = function(exit) exit$status)
    if (is.null(status)) {
      if (!is.null(held)) send_main_result(executor, held[[1]])
    } else {
      release()
      if (!identical(as.integer(status), 0L)) stop(sprintf("the code called quit(status = %s)", status), call. = FALSE)
    }
    invisible()
  }, imports)

  install_packages <- utils::install.packages
  checked_install <- function(pkgs, lib, repos = getOption("repos"), ...) {
    problems <- character()
    withCallingHandlers(
      install_packages(pkgs, lib, repos = repos, ...),
      warning = function(w) problems <<- c(problems, conditionMessage(w))
    )
    names <- if (is.null(repos)) sub("_.*$", "", basename(pkgs)) else pkgs
    missing <- names[!vapply(names, function(name) nzchar(system.file(package = name)), logical(1))]
    text <- paste(problems, collapse = "\n")
    # An older copy already installed does not make a failed install a success.
    failed <- grepl("unable to access index|is not available|had non-zero exit status|download of package .* failed|cannot open URL", text)
    if (length(missing) == 0 && !failed) return(invisible())
    cause <- if (grepl("cannot open URL|unable to access index|Could not resolve host|Couldn't connect", text)) {
      "R could not reach the package repository: the sandbox has no network access to it. Create the sandbox with Internet Access on, or install from a file in the sandbox."
    } else if (grepl("is not available", text)) {
      "package not found in the repository"
    } else if (nzchar(text)) text else "see the output above"
    if (length(missing) == 0) missing <- names
    stop(sprintf("package install failed: %s: %s", paste(missing, collapse = ", "), cause), call. = FALSE)
  }
  set_binding("install.packages", checked_install, asNamespace("utils"))
  set_binding("install.packages", checked_install, as.environment("package:utils"))
})

IRkernel::main()
