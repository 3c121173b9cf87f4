// Command pulumi-language-nodejs is a small Node.js language host for the
// Pulumi engine, built by scripts/install-pulumi.sh next to the pulumi CLI.
//
// Why it exists: the upstream host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the
// Go module proxy reachable from this project's machines does not serve, and
// the prebuilt Pulumi tarballs cannot be downloaded either. The CLI itself
// (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) is served and is built from the
// same pinned release (see go.mod).
//
// What it does: the engine starts it as a plugin (`pulumi-language-nodejs
// [flags] <engine-address>`), it serves the LanguageRuntime gRPC service on a
// free localhost port and prints that port on stdout. For Run it starts
// `node <project>/node_modules/@pulumi/pulumi/cmd/run ...` with the flags and
// environment that entry point of the project's own @pulumi/pulumi package
// reads, so the program, its TypeScript (ts-node) handling and its resource
// registrations are all done by the npm SDK, as with the upstream host.
//
// Implemented: Run, GetRequiredPackages/GetRequiredPlugins (resource plugins
// of the packages in node_modules whose package.json says
// "pulumi": {"resource": true}), GetPluginInfo, About and
// GetProgramDependencies. Everything else answers Unimplemented, which the
// engine treats as "not supported" (e.g. `pulumi install` installs nothing:
// run `npm ci` yourself; plugins and policy packs written in Node.js cannot be
// run by this host).
//
// Pulumi.yaml runtime options honoured: typescript (default true), tsconfig,
// nodeargs. The environment variable PULUMI_NODEJS_TRANSPILE_ONLY passes
// through to the SDK.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code with which @pulumi/pulumi/cmd/run says it already reported the
// error to the user (nodeJSProcessExitedAfterLoggingUserActionableMessage).
const exitCodeErrorAlreadyReported = 32

func main() {
	// Flags the engine may pass to any plugin (see buildPluginArguments in
	// sdk/go/common/resource/plugin): logging and tracing. Some dependencies
	// (glog) already register -logtostderr and -v; define only what is missing.
	defineIfMissing := func(name string, define func()) {
		if flag.Lookup(name) == nil {
			define()
		}
	}
	defineIfMissing("logtostderr", func() { flag.Bool("logtostderr", false, "log to stderr") })
	defineIfMissing("v", func() { flag.Int("v", 0, "log verbosity") })
	defineIfMissing("tracing", func() { flag.String("tracing", "", "tracing endpoint (ignored)") })
	// Flags older engines passed to the Node.js host; Pulumi.yaml options win.
	typescript := flag.Bool("typescript", true, "run the program through ts-node")
	flag.String("root", "", "project root (ignored; the engine sends it with each request)")
	tsconfig := flag.String("tsconfig", "", "path to tsconfig.json")
	nodeargs := flag.String("nodeargs", "", "extra arguments for node")
	flag.Parse()
	logging.InitLogging(false, 0, false) // reads -logtostderr and -v

	args := flag.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] <engine-address>")
		os.Exit(1)
	}
	engineAddress := args[0]

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Exit when the engine goes away, so no orphaned host lingers.
	if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start health check: %v\n", err)
		os.Exit(1)
	}

	host := &nodeHost{
		engineAddress: engineAddress,
		defaults: runtimeOptions{
			typescript: *typescript,
			tsconfig:   *tsconfig,
			nodeargs:   *nodeargs,
		},
	}

	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancelChannel)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}

	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: gRPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   string
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	engineAddress string
	defaults      runtimeOptions
}

// options merges the runtime options of Pulumi.yaml (sent in ProgramInfo)
// over the command-line defaults.
func (h *nodeHost) options(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := h.defaults
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"]; ok {
		switch t := v.(type) {
		case bool:
			opts.typescript = t
		case string:
			if b, err := strconv.ParseBool(t); err == nil {
				opts.typescript = b
			}
		}
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	return opts
}

// programDirectory returns the directory of the program: ProgramInfo when the
// engine sends it, else the deprecated pwd field.
func programDirectory(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if pwd != "" {
		return pwd
	}
	wd, _ := os.Getwd()
	return wd
}

// nodeExecutable finds node on PATH.
func nodeExecutable() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find node on PATH: install Node.js " +
			"(the version in package.json \"engines\") and make sure `node` is on PATH")
	}
	return node, nil
}

// resolveRunScript asks node to resolve @pulumi/pulumi/cmd/run from the program
// directory, so the same module resolution as the program's own `require`
// applies (node_modules of any parent, symlinks, NODE_PATH).
func resolveRunScript(ctx context.Context, node, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e",
		"process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run'))")
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "", fmt.Errorf("it looks like the Pulumi SDK has not been installed: could not resolve "+
			"@pulumi/pulumi/cmd/run from %s (run `npm ci` first): %v %s",
			dir, err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDirectory(info, req.GetPwd())
	opts := h.options(info)

	node, err := nodeExecutable()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runScript, err := resolveRunScript(ctx, node, dir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	program := req.GetProgram() //nolint:staticcheck // fallback for engines without ProgramInfo
	if info != nil && info.GetEntryPoint() != "" {
		program = info.GetEntryPoint()
	}
	if program == "" {
		program = "."
	}

	var args []string
	args = append(args, strings.Fields(opts.nodeargs)...)
	args = append(args, runScript)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetProject() != "" {
		args = append(args, "--project="+req.GetProject())
	}
	if info != nil && info.GetRootDirectory() != "" {
		args = append(args, "--root-directory="+info.GetRootDirectory())
	}
	if req.GetStack() != "" {
		args = append(args, "--stack="+req.GetStack())
	}
	args = append(args, "--pwd="+dir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	args = append(args, "--monitor="+req.GetMonitorAddress())
	args = append(args, "--engine="+h.engineAddress)
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("marshalling config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("marshalling config secret keys: %w", err)
	}

	env := os.Environ()
	env = append(env,
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = env
	// The engine shows what the program prints as its output. node stays in
	// this host's process group, which the engine kills when it kills the host;
	// a cancelled request kills node (exec.CommandContext).
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	logging.V(5).Infof("pulumi-language-nodejs: running %s %s in %s", node, strings.Join(args, " "), dir)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeErrorAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// packageJSON is the part of a package.json this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource         bool   `json:"resource"`
		Name             string `json:"name"`
		Version          string `json:"version"`
		Server           string `json:"server"`
		Parameterization *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Value   string `json:"value"`
		} `json:"parameterization"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// findUp returns the first of dir and its parents that contains name.
func findUp(dir, name string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// installedPackages lists the package.json files directly under the
// node_modules that node would use for dir (including @scope/name packages).
func installedPackages(dir string) ([]*packageJSON, error) {
	base, ok := findUp(dir, "node_modules")
	if !ok {
		return nil, nil
	}
	nodeModules := filepath.Join(base, "node_modules")
	var dirs []string
	entries, err := os.ReadDir(nodeModules)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(filepath.Join(nodeModules, name))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				dirs = append(dirs, filepath.Join(nodeModules, name, s.Name()))
			}
			continue
		}
		dirs = append(dirs, filepath.Join(nodeModules, name))
	}
	sort.Strings(dirs)
	var pkgs []*packageJSON
	for _, d := range dirs {
		p, err := readPackageJSON(filepath.Join(d, "package.json"))
		if err != nil {
			continue // not a package (or unreadable): node would not load it either
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// requiredPackages returns the resource plugins of the installed Pulumi
// packages: those whose package.json has "pulumi": {"resource": true}.
func requiredPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	pkgs, err := installedPackages(dir)
	if err != nil {
		return nil, err
	}
	var deps []*pulumirpc.PackageDependency
	for _, p := range pkgs {
		if p.Pulumi == nil || !p.Pulumi.Resource {
			continue
		}
		name := p.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(p.Name, "@pulumi/")
		}
		ver := p.Pulumi.Version
		if ver == "" {
			ver = p.Version
		}
		dep := &pulumirpc.PackageDependency{
			Name:    name,
			Kind:    "resource",
			Version: ver,
			Server:  p.Pulumi.Server,
		}
		if param := p.Pulumi.Parameterization; param != nil {
			value, err := base64.StdEncoding.DecodeString(param.Value)
			if err != nil {
				return nil, fmt.Errorf("package %s: bad parameterization value: %w", p.Name, err)
			}
			dep.Parameterization = &pulumirpc.PackageParameterization{
				Name: param.Name, Version: param.Version, Value: value,
			}
		}
		deps = append(deps, dep)
	}
	return deps, nil
}

func (h *nodeHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := requiredPackages(programDirectory(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *nodeHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	deps, err := requiredPackages(programDirectory(req.GetInfo(), req.GetPwd())) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, d := range deps {
		if d.Parameterization != nil {
			continue // cannot be expressed as a plain plugin
		}
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *nodeHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeExecutable()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "cognito-auth tools/pulumi-cli"},
	}, nil
}

// GetProgramDependencies reports the dependencies named in the program's
// package.json with their installed versions (all installed packages when
// transitive dependencies are asked for).
func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetPwd()) //nolint:staticcheck
	installed, err := installedPackages(dir)
	if err != nil {
		return nil, err
	}
	versions := make(map[string]string, len(installed))
	for _, p := range installed {
		versions[p.Name] = p.Version
	}

	var names []string
	if req.GetTransitiveDependencies() {
		for name := range versions {
			names = append(names, name)
		}
	} else if root, ok := findUp(dir, "package.json"); ok {
		p, err := readPackageJSON(filepath.Join(root, "package.json"))
		if err != nil {
			return nil, err
		}
		for name := range p.Dependencies {
			names = append(names, name)
		}
		for name := range p.DevDependencies {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, name := range names {
		v, ok := versions[name]
		if !ok {
			v = "(not installed)"
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	return resp, nil
}
