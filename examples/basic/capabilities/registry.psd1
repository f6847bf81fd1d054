# Capability catalog (CAP-REG-001), in the original spec's PowerShell data form.
# weft reads this file itself; PowerShell is never run. JSON or YAML (registry.json / registry.yaml) work too.
@(
    @{
        CapabilityId = 'aider'
        Version      = '0.86.0'
        Name         = 'AiderEditing'
        Description  = 'AI code edits through Aider (the EDIT phase)'
        Provider     = 'aider-chat'
        DeprecatedBy = $null
        Stability    = 'stable'
        SinceVersion = '0.1.0'
        Requirements = @('git')
        Operations   = @('edit', 'refactor', 'fix')
    },
    @{
        CapabilityId = 'git'
        Version      = '2.30.0'
        Name         = 'GitOperations'
        Description  = 'Worktrees, commits and merges'
        Provider     = 'git'
        DeprecatedBy = $null
        Stability    = 'stable'
        SinceVersion = '0.1.0'
        Requirements = @()
        Operations   = @('worktree', 'commit', 'merge')
    },
    @{
        CapabilityId = 'node'
        Version      = '20.0.0'
        Name         = 'NodeRuntime'
        Description  = "Runs Node.js scripts and ``node --test`` suites"
        Provider     = 'nodejs.org'
        DeprecatedBy = $null
        Stability    = 'stable'
        SinceVersion = '0.1.0'
        Requirements = @()
        Operations   = @('run', 'test', 'lint')
    },
    @{
        CapabilityId = 'python-lint'
        Version      = '1.0.0'
        Name         = 'PythonLint'
        Description  = 'flake8-style linting (kept for older task files)'
        Provider     = 'flake8'
        DeprecatedBy = 'node'
        Stability    = 'deprecated'
        SinceVersion = '0.1.0'
        Requirements = @('python')
        Operations   = @('lint')
    }
)
