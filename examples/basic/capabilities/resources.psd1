# Resource registry (CONC-REG-001). A task names what it needs in resource_requirements:
# "exclusive", "shared", or a number of units/tokens. Tasks acquire all their resources at once or none.
@(
    @{
        ResourceId  = 'llm-api'
        Type        = 'rate_limited'
        Description = 'Calls to the model API (token bucket)'
        MaxHolders  = 5
        RefillRate  = '30/minute'
        Priority    = 10
        Metadata    = @{
            ConflictsWith = @()
            Scope         = 'global'
        }
    },
    @{
        ResourceId  = 'worktree-src'
        Type        = 'shared'
        Description = 'The src/ tree of a workstream: edits take it exclusively, checks share it'
        MaxHolders  = -1
        RefillRate  = $null
        Priority    = 5
        Metadata    = @{
            ConflictsWith = @()
            Scope         = 'workstream'
        }
    },
    @{
        ResourceId  = 'test-runner'
        Type        = 'pooled'
        Description = 'Slots for test processes'
        MaxHolders  = 2
        RefillRate  = $null
        Priority    = 0
        Metadata    = @{
            ConflictsWith = @()
            Scope         = 'global'
        }
    }
)
