// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...): importing the adapter is not
// enough, it must be called.
import { setupJest } from 'cdktf/lib/testing/adapters/jest';

setupJest();
