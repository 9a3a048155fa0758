import JobRuntime
import ProductFlow
import Testing

@Suite struct JobKindsTests {
    @Test func eachJobKindTravelsOnItsOwnQueue() {
        for kind in [JobKinds.designGenerate, JobKinds.mockupFlatLay, JobKinds.mockupMrImagine, JobKinds.webhookDeliver] {
            #expect(JobKinds.queue(for: kind)?.name == kind)
        }
        #expect(JobKinds.queue(for: FleetEvent.jobKind) == nil)
        #expect(Set(ProductQueues.all.map(\.name)) == ["design.generate", "mockup.flat_lay", "mockup.mr_imagine", "finalizer.events", "webhook.deliver"])
    }

    @Test func onlyMockupJobKindsHaveAMockupAssetRole() {
        #expect(JobKinds.mockupAssetRole(of: JobKinds.mockupFlatLay) == "mockup_flat_lay")
        #expect(JobKinds.mockupFlatLayAssetRole == "mockup_flat_lay")
        #expect(JobKinds.mockupMrImagineAssetRole == "mockup_mr_imagine")
        #expect(JobKinds.mockupAssetRole(of: JobKinds.mockupMrImagine) == "mockup_mr_imagine")
        #expect(JobKinds.mockupAssetRole(of: JobKinds.designGenerate) == nil)
        #expect(JobKinds.mockupAssetRole(of: FleetEvent.jobKind) == nil)
    }
}
