using Containerize.HelperProtocol;

namespace Containerize.Engine.Diagnostics;

/// <summary>
/// Every stable diagnostic code, by area: 1xxx image model and references, 2xxx registry,
/// 3xxx layers and store, 4xxx build configuration (task parameters), 50xx Dockerfile syntax,
/// 51xx word expansion, 52xx instructions and planning, 60xx build context and .dockerignore.
/// A code never changes meaning once shipped.
/// </summary>
public static class ErrorCodes
{
    public const string InvalidReference = "CTZ1000";
    public const string InvalidDigest = "CTZ1001";
    public const string UnsupportedManifest = "CTZ1002";
    public const string NoMatchingPlatform = "CTZ1003";
    public const string InvalidImageDocument = "CTZ1004";
    public const string ManifestTooLarge = "CTZ1005";
    public const string IndexTooDeep = "CTZ1006";

    public const string RegistryUnreachable = "CTZ2000";
    public const string RegistryAuthenticationFailed = "CTZ2001";
    public const string ImageNotFound = "CTZ2002";
    public const string BlobDigestMismatch = "CTZ2003";
    public const string RegistryRequestFailed = "CTZ2004";
    public const string RegistryTlsFailed = "CTZ2005";
    public const string CredentialHelperFailed = "CTZ2006";
    public const string RegistryAccessDenied = "CTZ2007";
    public const string RegistryTransferStalled = "CTZ2008";
    public const string BlobSizeMismatch = "CTZ2009";
    public const string RegistryRefusedUpload = "CTZ2010";

    public const string UnsafeLayerPath = "CTZ3000";
    public const string CorruptLayer = "CTZ3001";
    public const string StoreUnavailable = "CTZ3002";
    public const string UnsupportedFileType = "CTZ3003";
    public const string LayerSourceUnreadable = "CTZ3004";
    public const string LayerSourceMissing = "CTZ3005";
    public const string ImageFileTooLarge = "CTZ3006";

    // 3010-3019 RUN rootfs: unpacked overlay lower directories and the upper directory's diff.
    public const string OverlayXattrUnsupported = "CTZ3010";
    public const string UnpackedLayerMismatch = "CTZ3011";
    public const string UpperOwnerNotMapped = "CTZ3012";
    public const string UnsupportedOverlayFeature = "CTZ3013";
    public const string RootfsCopyFallback = "CTZ3014";
    public const string RootfsCopyFailed = "CTZ3015";
    public const string InvalidRootfsMode = "CTZ3016";

    // 3020-3029 the store's root folder: who may enter it.
    public const string StoreMadePrivate = "CTZ3020"; // a warning
    public const string StoreNotOwned = "CTZ3021";
    public const string StoreIsSharedFolder = "CTZ3022";

    // 3030-3039 the store's file system: space.
    public const string StoreFull = "CTZ3030";

    // 3050-3069 reading a layer: its media type, and entries the file system cannot hold.
    public const string UnsupportedLayerMediaType = "CTZ3050";
    public const string LayerEntryNameTooLong = "CTZ3051";
    public const string LayerEntryNotWritten = "CTZ3052";
    public const string ZlibUnavailable = "CTZ3053";

    // 3070-3089 a layer unpacked over the layers below it (RUN, containerize run).
    public const string LayerDoesNotFitBelow = "CTZ3070";

    public const string InvalidProperty = "CTZ4000";
    public const string PublishDirectoryMissing = "CTZ4001";
    public const string ArchiveWriteFailed = "CTZ4002";
    public const string NoOutputConfigured = "CTZ4003";

    // 4010-4019 step cache settings.
    public const string InvalidCacheSize = "CTZ4010";
    public const string UnknownNoCacheStage = "CTZ4011";

    // 4020-4029 build scheduling.
    public const string InvalidBuildParallelism = "CTZ4020";

    // 4030-4039 RUN network and entitlements (ContainerRunNetwork, ContainerAllow).
    public const string InvalidRunNetwork = "CTZ4030";
    public const string InvalidEntitlement = "CTZ4031";

    // 50xx Dockerfile syntax (parser).
    public const string DockerfileHasNoInstructions = "CTZ5000";
    public const string DockerfileLineTooLong = "CTZ5001";
    public const string InvalidParserDirective = "CTZ5002";
    public const string InvalidJsonArray = "CTZ5003";
    public const string InvalidKeyValue = "CTZ5004";
    public const string UnterminatedHeredoc = "CTZ5005";
    public const string InvalidHeredoc = "CTZ5006";
    public const string UnknownInstruction = "CTZ5007";

    // 51xx word expansion (shell lexer).
    public const string BadSubstitution = "CTZ5100";
    public const string UnterminatedSubstitution = "CTZ5101";
    public const string UnterminatedQuote = "CTZ5102";
    public const string RequiredVariableNotSet = "CTZ5103";
    public const string InvalidSubstitutionPattern = "CTZ5104";
    public const string SubstitutionTooDeep = "CTZ5105";
    public const string ExpansionTooLarge = "CTZ5106";
    public const string VariablesTooLarge = "CTZ5107";

    // 52xx instructions and planning.
    public const string InstructionArgumentCount = "CTZ5200";
    public const string UnknownInstructionFlag = "CTZ5201";
    public const string InvalidInstructionFlag = "CTZ5202";
    public const string InvalidRunMount = "CTZ5203";
    public const string InvalidHealthcheck = "CTZ5204";
    public const string InvalidOnbuildTrigger = "CTZ5205";
    public const string JsonFormRequired = "CTZ5206";
    public const string HeredocNotAllowedHere = "CTZ5207";
    public const string InvalidFromInstruction = "CTZ5208";
    public const string InvalidInstructionArgument = "CTZ5209";
    public const string NoBuildStage = "CTZ5210";
    public const string DuplicateStageName = "CTZ5211";
    public const string UnknownTargetStage = "CTZ5212";
    public const string InvalidBaseImage = "CTZ5213";
    public const string InvalidStageReference = "CTZ5214";
    public const string InvalidStagePlatform = "CTZ5215";
    public const string UnconsumedBuildArgs = "CTZ5216";
    public const string DockerfileMissing = "CTZ5218";
    public const string InvalidNamedContext = "CTZ5219";
    public const string RunStepFailed = "CTZ5220";
    public const string RunMountNotAvailable = "CTZ5221";

    // 5222-5229 RUN secret and ssh mounts; messages name ids and paths, never a secret's value.
    public const string SecretRequired = "CTZ5222";
    public const string InvalidSecretSource = "CTZ5223";
    public const string SshAgentRequired = "CTZ5224";
    public const string InvalidSshAgent = "CTZ5225";
    public const string SecretVariableNotSet = "CTZ5226"; // a warning
    public const string MountOwnerNotApplied = "CTZ5227"; // a warning

    // 5230-5239 RUN flags that need an entitlement the user grants.
    public const string NetworkHostNotAllowed = "CTZ5230";

    public const string CopyDestinationNotDirectory = "CTZ5250";
    public const string CopySourceNotFound = "CTZ5251";
    public const string CopySourceOutsideRoot = "CTZ5252";
    public const string CopyOwnerNotFound = "CTZ5253";
    public const string InvalidCopyOwner = "CTZ5254";
    public const string InvalidCopyChmod = "CTZ5255";
    public const string InvalidCopyPattern = "CTZ5256";
    public const string CopyArchiveUnreadable = "CTZ5257";

    // 527x ADD from remote sources: URLs and git repositories.
    public const string CopyRemoteSource = "CTZ5270";
    public const string InvalidAddChecksum = "CTZ5271";
    public const string RemoteChecksumMismatch = "CTZ5272";
    public const string RemoteDownloadFailed = "CTZ5273";
    public const string GitFetchFailed = "CTZ5274";
    public const string InvalidGitSubdirectory = "CTZ5275";
    public const string RemoteRedirectUnsupported = "CTZ5276";
    public const string RemoteTooManyRedirects = "CTZ5277";
    public const string InvalidRemoteFileName = "CTZ5278";
    public const string UnsafeGitSource = "CTZ5279";

    // 60xx build context and .dockerignore.
    public const string InvalidIgnorePattern = "CTZ6000";
    public const string IllegalIgnoreException = "CTZ6001";
    public const string IgnoreFileUnreadable = "CTZ6002";
    public const string ContextDirectoryMissing = "CTZ6003";
    public const string ContextUnreadable = "CTZ6004";

    // 7000-7019 RUN execution: namespaces, the helper process and the container it sets up.
    public const string ContainerSetupFailed = HelperFailureCodes.SetupFailed; // CTZ7000, reported by the helper
    public const string NamespacesNotPermitted = "CTZ7001";
    public const string ContainerHelperNotFound = "CTZ7002";
    public const string ContainerUserNotFound = HelperFailureCodes.UserNotFound; // CTZ7003, reported by the helper
    public const string ContainerCommandNotFound = HelperFailureCodes.CommandNotFound; // CTZ7004, reported by the helper
    public const string OverlayMountFailed = HelperFailureCodes.OverlayMountFailed; // CTZ7005, reported by the helper
    public const string IdMappingFailed = "CTZ7006";
    public const string LayerUnpackInNamespaceFailed = HelperFailureCodes.LayerUnpackInNamespaceFailed; // CTZ7007, reported by the helper
    public const string SingleIdUserNamespace = "CTZ7008";
    public const string UserModeNetworkUnavailable = "CTZ7009";
    public const string NulInContainerSpec = "CTZ7010";

    // 7100-7199: running images
    public const string ImageHasNoCommand = "CTZ7100";
    public const string NothingToRun = "CTZ7101";
    public const string ImageProcessFailed = "CTZ7102";
    public const string ImageProcessKilled = "CTZ7103";
}
